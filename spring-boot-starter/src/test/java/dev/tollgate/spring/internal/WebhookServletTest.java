package dev.tollgate.spring.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class WebhookServletTest {

    @Test
    void reads_the_raw_bytes_and_never_more_than_the_limit() throws IOException {
        byte[] body = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', ' ', '}', (byte) 0xC3, 0x00, '\r', '\n'};
        assertArrayEquals(body, WebhookServlet.readAtMost(new ByteArrayInputStream(body), 100));
        assertEquals(4, WebhookServlet.readAtMost(new ByteArrayInputStream(body), 4).length);
        assertEquals(0, WebhookServlet.readAtMost(new ByteArrayInputStream(new byte[0]), 10).length);
    }

    @Test
    void stops_reading_an_endless_body_at_the_limit() throws IOException {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }
        };
        assertEquals(3 * 8192 + 5, WebhookServlet.readAtMost(endless, 3 * 8192 + 5).length);
    }
}
