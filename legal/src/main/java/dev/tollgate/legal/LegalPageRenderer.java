package dev.tollgate.legal;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Renders a legal document as a complete, accessible HTML page for public routes such as
 * {@code /legal/terms}, {@code /legal/privacy} and {@code /legal/imprint}: {@code lang} attribute, title,
 * version and effective date, a navigation landmark linking to the other legal pages, and the content with
 * every character HTML-escaped (paragraphs at blank lines, line breaks kept).
 *
 * <pre>{@code
 * LegalPageRenderer renderer = LegalPageRenderer.builder().siteName("Acme").basePath("/legal").build();
 * String html = renderer.render(terms, legal.currentDocuments());
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class LegalPageRenderer {

    private static final Pattern PARAGRAPH_BREAK = Pattern.compile("\\R\\s*\\R");
    private static final Pattern BASE_PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)*");

    private final String siteName;
    private final String basePath;
    private final ZoneId zone;
    private final DateTimeFormatter dateFormat = DateTimeFormatter.ISO_LOCAL_DATE;

    private LegalPageRenderer(String siteName, String basePath, ZoneId zone) {
        this.siteName = siteName;
        this.basePath = basePath;
        this.zone = zone;
    }

    /** @return a builder (defaults: no site name, base path {@code /legal}, dates in UTC) */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The path of a kind's page, such as {@code /legal/terms}.
     *
     * @param kind the kind
     * @return the path
     */
    public String pathOf(DocumentKind kind) {
        return basePath + "/" + Objects.requireNonNull(kind, "kind").name();
    }

    /**
     * Renders one document as a page.
     *
     * @param document the document to show
     * @param allPages the documents to link to (typically {@link LegalService#currentDocuments()}); the page's
     *     own kind is marked as the current page
     * @return a complete HTML5 document
     */
    public String render(LegalDocument document, List<LegalDocument> allPages) {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(allPages, "allPages");
        String title = escape(document.title());
        String date = dateFormat.format(document.effectiveAt().atZone(zone));
        StringBuilder html = new StringBuilder(document.content().length() + 2048);
        html.append("<!DOCTYPE html>\n<html lang=\"").append(escape(document.language())).append("\">\n<head>\n")
                .append("<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(title);
        if (!siteName.isEmpty()) {
            html.append(" – ").append(escape(siteName));
        }
        html.append("</title>\n</head>\n<body>\n");
        html.append("<nav aria-label=\"Legal\">\n<ul>\n");
        for (LegalDocument page : allPages) {
            html.append("<li><a href=\"").append(escape(pathOf(page.kind()))).append('"');
            if (page.kind().equals(document.kind())) {
                html.append(" aria-current=\"page\"");
            }
            html.append('>').append(escape(page.title())).append("</a></li>\n");
        }
        html.append("</ul>\n</nav>\n<main>\n<article>\n<h1>").append(title).append("</h1>\n")
                .append("<p class=\"legal-meta\">Version <span class=\"legal-version\">").append(escape(document.version()))
                .append("</span>, effective <time datetime=\"").append(date).append("\">").append(date)
                .append("</time></p>\n");
        for (String paragraph : PARAGRAPH_BREAK.split(document.content().strip())) {
            if (!paragraph.isBlank()) {
                html.append("<p>").append(escape(paragraph.strip()).replaceAll("\\R", "<br>\n")).append("</p>\n");
            }
        }
        html.append("</article>\n</main>\n</body>\n</html>\n");
        return html.toString();
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Builds a {@link LegalPageRenderer}; {@link #build()} reports every bad setting at once. */
    public static final class Builder {
        private String siteName = "";
        private String basePath = "/legal";
        private ZoneId zone = ZoneOffset.UTC;

        private Builder() {
        }

        /**
         * @param siteName shown after the page title, such as {@code Acme}
         * @return this builder
         */
        public Builder siteName(String siteName) {
            this.siteName = Objects.requireNonNull(siteName, "siteName");
            return this;
        }

        /**
         * @param basePath the path the pages live under, such as {@code /legal} (no trailing slash)
         * @return this builder
         */
        public Builder basePath(String basePath) {
            this.basePath = Objects.requireNonNull(basePath, "basePath");
            return this;
        }

        /**
         * @param zone the time zone effective dates are shown in (default UTC)
         * @return this builder
         */
        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /**
         * @return the renderer
         * @throws IllegalArgumentException naming every bad setting
         */
        public LegalPageRenderer build() {
            List<String> problems = new ArrayList<>();
            if (!BASE_PATH.matcher(basePath).matches()) {
                problems.add("basePath must be empty or like /legal (segments of letters, digits, . _ ~ -), but was '"
                        + basePath + "'");
            }
            if (siteName.length() > 200) {
                problems.add("siteName must be at most 200 characters, but had " + siteName.length());
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid LegalPageRenderer: " + String.join("; ", problems));
            }
            return new LegalPageRenderer(siteName, basePath, zone);
        }
    }

    /** @return a description of the settings */
    @Override
    public String toString() {
        return "LegalPageRenderer[" + basePath + "]";
    }

}
