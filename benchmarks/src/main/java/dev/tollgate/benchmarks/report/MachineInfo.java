package dev.tollgate.benchmarks.report;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/** The {@code machine} object of {@code latest.json}: what the numbers were measured on. */
public final class MachineInfo {

    private MachineInfo() {
    }

    /**
     * Describes this machine and JVM.
     *
     * @param postgresVersion the benchmark server's {@code SHOW server_version}
     * @param clock gives the date of the run
     * @return {@code {cores, memory, java, os, cpu_model, postgres_version, date}}
     */
    public static ObjectNode describe(String postgresVersion, Clock clock) {
        Objects.requireNonNull(postgresVersion, "postgresVersion");
        ObjectNode machine = JsonNodeFactory.instance.objectNode();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("memory", memory());
        machine.put("java", System.getProperty("java.runtime.version", System.getProperty("java.version"))
                + " (" + System.getProperty("java.vm.name") + ", " + System.getProperty("java.vendor") + ")");
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        machine.put("cpu_model", cpuModel());
        machine.put("postgres_version", postgresVersion);
        machine.put("date", Instant.now(clock).toString());
        return machine;
    }

    private static String memory() {
        String kb = procField(Path.of("/proc/meminfo"), "MemTotal");
        if (kb == null) {
            return "unknown";
        }
        double gib = Long.parseLong(kb.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0;
        return String.format(Locale.ROOT, "%.1f GiB", gib);
    }

    private static String cpuModel() {
        String model = procField(Path.of("/proc/cpuinfo"), "model name");
        return model == null ? System.getProperty("os.arch") : model;
    }

    private static @org.jspecify.annotations.Nullable String procField(Path file, String field) {
        try {
            for (String line : Files.readAllLines(file)) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(field)) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return null; // not Linux: the field is reported as unknown
        }
        return null;
    }
}
