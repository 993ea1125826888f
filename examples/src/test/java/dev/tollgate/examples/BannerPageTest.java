package dev.tollgate.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The banner page with and without vanilla-cookieconsent's files (no npm needed for these tests). */
class BannerPageTest {

    @Test
    void withoutTheLibraryThePageSaysWhichCommandFetchesIt(@TempDir Path empty) {
        BannerPage banner = new BannerPage(empty);
        assertFalse(banner.libraryPresent());
        String html = new String(banner.page().body(), StandardCharsets.UTF_8);
        assertTrue(html.contains("id=\"banner-missing\""), html);
        assertTrue(html.contains(BannerPage.FETCH_COMMAND), html);
        ApiException missing = assertThrows(ApiException.class, () -> banner.libraryFile("/assets/cookieconsent.umd.js"));
        assertEquals(404, missing.status());
        assertEquals("banner_assets_missing", missing.reason());
    }

    @Test
    void withTheLibraryThePageHasNoNoticeAndTheFilesAreServedAsIs(@TempDir Path dist) throws Exception {
        byte[] script = "window.CookieConsent = {};".getBytes(StandardCharsets.UTF_8);
        Files.write(dist.resolve("cookieconsent.umd.js"), script);
        Files.writeString(dist.resolve("cookieconsent.css"), "#cc-main{}");
        BannerPage banner = new BannerPage(dist);
        assertTrue(banner.libraryPresent());
        String html = new String(banner.page().body(), StandardCharsets.UTF_8);
        assertFalse(html.contains("id=\"banner-missing\""), html);
        assertFalse(html.contains("<!--banner-notice-->"), "the placeholder is replaced");
        ApiResponse js = banner.libraryFile("/assets/cookieconsent.umd.js");
        assertArrayEquals(script, js.body());
        assertTrue(js.contentType().startsWith("text/javascript"), js.contentType());
        assertTrue(banner.libraryFile("/assets/cookieconsent.css").contentType().startsWith("text/css"));
    }

    @Test
    void onlyOneOfTheTwoFilesIsNotEnough(@TempDir Path dist) throws Exception {
        Files.writeString(dist.resolve("cookieconsent.umd.js"), "x");
        BannerPage banner = new BannerPage(dist);
        assertFalse(banner.libraryPresent());
        assertTrue(new String(banner.page().body(), StandardCharsets.UTF_8).contains("id=\"banner-missing\""));
    }
}
