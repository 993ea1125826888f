package dev.tollgate.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.Secret;
import dev.tollgate.consent.PostgresConsentRepository;
import dev.tollgate.evidence.ChainKey;
import dev.tollgate.evidence.ChainKeys;
import dev.tollgate.evidence.ChainVerification;
import dev.tollgate.evidence.ChainVerifier;
import dev.tollgate.evidence.CheckpointSigner;
import dev.tollgate.evidence.Checkpointer;
import dev.tollgate.evidence.EvidenceStream;
import dev.tollgate.evidence.FileCheckpointSink;
import dev.tollgate.evidence.SignedCheckpoint;
import dev.tollgate.legal.PostgresLegalRepository;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code java -jar tollgate-demo.jar evidence keygen|checkpoint|verify|export …}: signing keys, signed checkpoints of
 * the consent and legal chains, verification of a database against kept checkpoints and the public key, and the
 * proof export for a dispute. Chain keys come from the environment only ({@code TOLLGATE_CHAIN_KEY=id:secret}, older
 * ones in {@code TOLLGATE_CHAIN_KEYS_PREVIOUS=id:secret,id:secret}); they are never printed.
 */
final class EvidenceCommand {

    static final String USAGE = """
            usage: evidence keygen --key-id ID --out DIR
                   evidence checkpoint --checkpoints DIR --signing-key FILE --key-id ID [database options]
                   evidence verify --checkpoints DIR --public-key ID=FILE [--stream consent|legal] [database options]
                   evidence export --stream consent|legal --subject ID --checkpoints DIR [database options]

            keygen      writes an Ed25519 key pair, ID.private.pem (mode 600) and ID.public.pem
            checkpoint  signs the head of both chains now and appends it to DIR/<stream>.checkpoints
            verify      checks the database against every checkpoint in DIR and the public key; with
                        $TOLLGATE_CHAIN_KEY (and $TOLLGATE_CHAIN_KEYS_PREVIOUS) every keyed value is recomputed too.
                        Exit code 0 PASS, 1 FAIL (the first bad sequence number is named)
            export      prints a subject's consent history or a user's acceptances with their proof (JSON)

            database options: --jdbc-url URL (default $TOLLGATE_DATABASE_URL), --user U ($TOLLGATE_DATABASE_USER),
                              --password P ($TOLLGATE_DATABASE_PASSWORD, preferred)
            """;

    private static final int USAGE_ERROR = 2;

    private EvidenceCommand() {
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? USAGE_ERROR : 0;
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                err.println("evidence: expected --option value, but got '" + abbreviate(args[i]) + "'");
                err.print(USAGE);
                return USAGE_ERROR;
            }
            options.put(args[i].substring(2), args[++i]);
        }
        try {
            return switch (args[0]) {
                case "keygen" -> keygen(options, out);
                case "checkpoint" -> checkpoint(options, env, out);
                case "verify" -> verify(options, env, out);
                case "export" -> export(options, env, out);
                default -> throw new IllegalArgumentException("unknown evidence command '" + abbreviate(args[0]) + "'");
            };
        } catch (IllegalArgumentException e) {
            err.println("evidence: " + e.getMessage());
            return USAGE_ERROR;
        } catch (GeneralSecurityException | IOException | UncheckedIOException e) {
            err.println("evidence: " + e.getMessage());
            return 1;
        }
    }

    private static int keygen(Map<String, String> options, PrintStream out) throws GeneralSecurityException,
            IOException {
        String keyId = required(options, "key-id");
        Path dir = Path.of(required(options, "out"));
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Files.createDirectories(dir);
        Path privateFile = dir.resolve(keyId + ".private.pem");
        Files.createFile(privateFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(dir.resolve(keyId + ".public.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        out.println("wrote " + privateFile + " (keep it away from the database) and " + dir.resolve(keyId + ".public.pem"));
        return 0;
    }

    private static int checkpoint(Map<String, String> options, Map<String, String> env, PrintStream out)
            throws GeneralSecurityException, IOException {
        Path dir = Path.of(required(options, "checkpoints"));
        PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(
                readPem(Path.of(required(options, "signing-key")))));
        CheckpointSigner signer = CheckpointSigner.of(required(options, "key-id"), key);
        try (HikariDataSource ds = dataSource(options, env)) {
            Checkpointer checkpointer = Checkpointer.builder().stream(new PostgresConsentRepository(ds).evidence())
                    .stream(new PostgresLegalRepository(ds).evidence()).signer(signer)
                    .sink(new FileCheckpointSink(dir)).clock(Clock.systemUTC()).interval(Duration.ofHours(1)).build();
            for (SignedCheckpoint checkpoint : checkpointer.checkpointNow()) {
                out.println(checkpoint.toJson());
            }
        }
        return 0;
    }

    private static int verify(Map<String, String> options, Map<String, String> env, PrintStream out)
            throws GeneralSecurityException, IOException {
        Path dir = Path.of(required(options, "checkpoints"));
        String[] publicKey = required(options, "public-key").split("=", 2);
        if (publicKey.length != 2) {
            throw new IllegalArgumentException("--public-key is ID=FILE, such as cp1=cp1.public.pem");
        }
        ChainVerifier.Builder verifier = ChainVerifier.builder().publicKey(publicKey[0], KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(readPem(Path.of(publicKey[1])))));
        ChainKeys keys = chainKeys(env);
        if (keys != null) {
            verifier.chainKeys(keys);
        }
        ChainVerifier built = verifier.build();
        boolean passed = true;
        try (HikariDataSource ds = dataSource(options, env)) {
            for (EvidenceStream stream : streams(options.get("stream"), ds)) {
                ChainVerification result = built.verify(stream, FileCheckpointSink.read(dir, stream.name()));
                out.println(result);
                passed &= result.valid();
            }
        }
        return passed ? 0 : 1;
    }

    private static int export(Map<String, String> options, Map<String, String> env, PrintStream out) {
        String stream = required(options, "stream");
        String subject = required(options, "subject");
        Path dir = Path.of(required(options, "checkpoints"));
        try (HikariDataSource ds = dataSource(options, env)) {
            out.println(switch (stream) {
                case "consent" -> new PostgresConsentRepository(ds).exportProof(subject,
                        FileCheckpointSink.read(dir, "consent"));
                case "legal" -> new PostgresLegalRepository(ds).exportProof(subject,
                        FileCheckpointSink.read(dir, "legal"));
                default -> throw new IllegalArgumentException("--stream is consent or legal");
            });
        }
        return 0;
    }

    private static List<EvidenceStream> streams(@Nullable String which, HikariDataSource ds) {
        List<EvidenceStream> out = new ArrayList<>();
        if (which == null || which.equals("consent")) {
            out.add(new PostgresConsentRepository(ds).evidence());
        }
        if (which == null || which.equals("legal")) {
            out.add(new PostgresLegalRepository(ds).evidence());
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--stream is consent or legal");
        }
        return out;
    }

    static @Nullable ChainKeys chainKeys(Map<String, String> env) {
        String current = env.get("TOLLGATE_CHAIN_KEY");
        if (current == null || current.isBlank()) {
            return null;
        }
        List<ChainKey> previous = new ArrayList<>();
        String older = env.getOrDefault("TOLLGATE_CHAIN_KEYS_PREVIOUS", "");
        for (String key : older.split(",")) {
            if (!key.isBlank()) {
                previous.add(chainKey(key, "TOLLGATE_CHAIN_KEYS_PREVIOUS"));
            }
        }
        return ChainKeys.of(chainKey(current, "TOLLGATE_CHAIN_KEY"), previous.toArray(ChainKey[]::new));
    }

    private static ChainKey chainKey(String text, String variable) {
        int colon = text.indexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException(variable + " holds id:secret (the id names the key in every row)");
        }
        return ChainKey.of(text.substring(0, colon).strip(), Secret.of(text.substring(colon + 1).strip()));
    }

    private static HikariDataSource dataSource(Map<String, String> options, Map<String, String> env) {
        String url = options.getOrDefault("jdbc-url", env.get("TOLLGATE_DATABASE_URL"));
        if (url == null) {
            throw new IllegalArgumentException("no database: --jdbc-url jdbc:postgresql://host:5432/db");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        String user = options.getOrDefault("user", env.get("TOLLGATE_DATABASE_USER"));
        String password = options.getOrDefault("password", env.get("TOLLGATE_DATABASE_PASSWORD"));
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(2);
        config.setPoolName("tollgate-evidence");
        return new HikariDataSource(config);
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] readPem(Path file) throws IOException {
        StringBuilder base64 = new StringBuilder();
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            if (!line.startsWith("-----")) {
                base64.append(line.strip());
            }
        }
        return Base64.getDecoder().decode(base64.toString());
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
