package dev.tollgate.legal;

import static dev.tollgate.legal.LegalFixtures.T0;
import static dev.tollgate.legal.LegalFixtures.doc;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LegalPageRendererTest {

    private final LegalDocument terms = doc(DocumentKind.TERMS, "2.1", T0, false);
    private final LegalDocument privacy = doc(DocumentKind.PRIVACY, "1.0", T0, false);
    private final LegalDocument imprint = doc(DocumentKind.IMPRINT, "1.0", T0, false);

    @Test
    void pageShowsLanguageTitleVersionDateAndLinksToTheOtherPages() {
        String html = LegalPageRenderer.builder().siteName("Acme").build().render(terms, List.of(terms, privacy, imprint));
        assertTrue(html.startsWith("<!DOCTYPE html>\n<html lang=\"en\">"), html);
        assertTrue(html.contains("<title>Terms of Service – Acme</title>"), html);
        assertTrue(html.contains("<h1>Terms of Service</h1>"), html);
        assertTrue(html.contains("Version <span class=\"legal-version\">2.1</span>"), html);
        assertTrue(html.contains("<time datetime=\"2026-11-01\">2026-11-01</time>"), html);
        assertTrue(html.contains("<a href=\"/legal/privacy\">Privacy Policy</a>"), html);
        assertTrue(html.contains("<a href=\"/legal/imprint\">Imprint</a>"), html);
        assertTrue(html.contains("<a href=\"/legal/terms\" aria-current=\"page\">"), html);
        assertTrue(html.contains("<nav aria-label=\"Legal\">") && html.contains("<main>"), html);
    }

    @Test
    void contentIsEscapedAndSplitIntoParagraphs() {
        LegalDocument hostile = LegalDocument.builder().kind(DocumentKind.of("cookies")).version("1").title("<script>x</script>")
                .language("de-DE").effectiveAt(T0).content("Intro <img src=x onerror=alert(1)>\n\n\"Quoted\" & 'single'\nline two")
                .build();
        String html = LegalPageRenderer.builder().build().render(hostile, List.of(hostile));
        assertFalse(html.contains("<script>") || html.contains("<img"), html);
        assertTrue(html.contains("<title>&lt;script&gt;x&lt;/script&gt;</title>"), html);
        assertTrue(html.contains("<p>Intro &lt;img src=x onerror=alert(1)&gt;</p>"), html);
        assertTrue(html.contains("<p>&quot;Quoted&quot; &amp; &#39;single&#39;<br>\nline two</p>"), html);
        assertTrue(html.contains("lang=\"de-DE\""), html);
    }

    @Test
    void badBasePathsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LegalPageRenderer.builder().basePath("/legal/").build());
        assertThrows(IllegalArgumentException.class, () -> LegalPageRenderer.builder().basePath("javascript:alert(1)").build());
        assertTrue(LegalPageRenderer.builder().basePath("/de/rechtliches").build().pathOf(DocumentKind.IMPRINT)
                .equals("/de/rechtliches/imprint"));
    }
}
