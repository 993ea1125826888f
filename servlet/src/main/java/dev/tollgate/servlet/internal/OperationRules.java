package dev.tollgate.servlet.internal;

import dev.tollgate.billing.OperationClass;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The operation class of a request: an explicit rule for the method and path (exact path, else the longest
 * {@code /prefix/*}), else {@code read} for GET, HEAD and OPTIONS and {@code write} for every other method.
 * Immutable once built.
 */
public final class OperationRules {

    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Pattern METHOD = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}");

    private record Prefix(String method, String prefix, OperationClass operation) {
    }

    private final Map<String, OperationClass> exact;
    private final List<Prefix> prefixes;

    private OperationRules(Map<String, OperationClass> exact, List<Prefix> prefixes) {
        this.exact = Map.copyOf(exact);
        this.prefixes = List.copyOf(prefixes);
    }

    /**
     * The operation class of a request.
     *
     * @param method the request method
     * @param path the path within the application (servlet path and path info)
     * @return the operation class
     */
    public OperationClass operationOf(String method, String path) {
        if (!exact.isEmpty()) {
            OperationClass rule = exact.get(method + ' ' + path);
            if (rule != null) {
                return rule;
            }
        }
        for (Prefix rule : prefixes) {
            if (rule.method().equals(method) && (path.startsWith(rule.prefix()) || path.equals(
                    rule.prefix().substring(0, rule.prefix().length() - 1)))) {
                return rule.operation();
            }
        }
        return byMethod(method);
    }

    /**
     * GET, HEAD and OPTIONS read; every other method (also an unknown one) writes.
     *
     * @param method the request method
     * @return {@link OperationClass#READ} or {@link OperationClass#WRITE}
     */
    public static OperationClass byMethod(String method) {
        return READ_METHODS.contains(method) ? OperationClass.READ : OperationClass.WRITE;
    }

    /** Collects rules; {@link #build(List)} reports every problem. */
    public static final class Builder {

        private final Map<String, OperationClass> exact = new HashMap<>();
        private final List<Prefix> prefixes = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();

        /**
         * Adds a rule.
         *
         * @param method an HTTP method, such as {@code POST}
         * @param path {@code /exact/path} or {@code /prefix/*}
         * @param operation the operation class
         */
        public void add(String method, String path, OperationClass operation) {
            String rule = method + " " + path;
            if (!METHOD.matcher(method).matches()) {
                problems.add("operation rule '" + rule + "': the method must be an HTTP method such as POST");
                return;
            }
            String upper = method.toUpperCase(Locale.ROOT);
            if (!path.startsWith("/") || path.indexOf('*') >= 0 && !(path.endsWith("/*") && path.indexOf('*') == path.length() - 1)) {
                problems.add("operation rule '" + rule + "': the path must start with '/' and may end with '/*'"
                        + " (a prefix), with no other '*'");
                return;
            }
            boolean duplicate;
            if (path.endsWith("/*")) {
                String prefix = path.substring(0, path.length() - 1);
                duplicate = prefixes.stream().anyMatch(p -> p.method().equals(upper) && p.prefix().equals(prefix));
                if (!duplicate) {
                    prefixes.add(new Prefix(upper, prefix, operation));
                }
            } else {
                duplicate = exact.putIfAbsent(upper + ' ' + path, operation) != null;
            }
            if (duplicate) {
                problems.add("operation rule '" + rule + "' is given twice");
            }
        }

        /**
         * Builds the rules, or adds the problems found to a list.
         *
         * @param problemsOut where problems go
         * @return the rules (meaningless when problems were added)
         */
        public OperationRules build(List<String> problemsOut) {
            problemsOut.addAll(problems);
            List<Prefix> sorted = new ArrayList<>(prefixes);
            sorted.sort(Comparator.comparingInt((Prefix p) -> p.prefix().length()).reversed());
            return new OperationRules(exact, sorted);
        }
    }
}
