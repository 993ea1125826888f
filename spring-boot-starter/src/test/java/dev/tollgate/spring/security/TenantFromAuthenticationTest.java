package dev.tollgate.spring.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tollgate.Secret;
import dev.tollgate.testkit.ReplayAnswer;
import dev.tollgate.testkit.Replayer;
import dev.tollgate.testkit.StripeEventFixture;
import dev.tollgate.testkit.StripeSigner;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Two users of two tenants over real HTTP, Spring Security checking their JWTs: the gate decides by the tenant the
 * token carries. Alice's tenant pays, Bob's is past_due. A request that names the other tenant in the header a
 * header resolver would read ({@code X-Tenant-Id}) gets the decision of its own token's tenant: Alice naming Bob's
 * tenant still writes, Bob naming Alice's still gets 402.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = SecuredApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "tollgate.webhooks.stripe.secret=" + TenantFromAuthenticationTest.STRIPE_SECRET,
                "tollgate.billing.cache-ttl=1ms"})
class TenantFromAuthenticationTest {

    static final String STRIPE_SECRET = "whsec_securedSecuredSecured0123456789";
    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private final StripeSigner stripe = StripeSigner.of(Secret.of(STRIPE_SECRET), Clock.systemUTC());
    private final String tenantA = "tenant-a-" + UUID.randomUUID();
    private final String tenantB = "tenant-b-" + UUID.randomUUID();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", DATABASE::user);
        registry.add("spring.datasource.password", DATABASE::password);
    }

    @AfterAll
    static void dropDatabase() {
        DATABASE.close();
    }

    @BeforeEach
    void aPayingTenantAndAPastDueOne() {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        deliver(StripeEventFixture.subscriptionCreated().tenant(tenantA).customer("cus_" + tenantA)
                .subscription("sub_" + tenantA).created(start));
        deliver(StripeEventFixture.subscriptionCreated().tenant(tenantB).customer("cus_" + tenantB)
                .subscription("sub_" + tenantB).created(start));
        deliver(StripeEventFixture.subscriptionUpdated().tenant(tenantB).customer("cus_" + tenantB)
                .subscription("sub_" + tenantB).status("past_due").previousStatus("active")
                .created(start.plusSeconds(30)));
    }

    @Test
    void eachUserGetsTheDecisionOfTheTenantInTheirTokenWhateverTheHeaderSays() throws Exception {
        String alice = token("alice", Map.of("tenant_id", tenantA));
        String bob = token("bob", Map.of("tenant_id", tenantB));

        assertEquals(201, post(alice, null).statusCode(), "Alice's tenant pays");
        HttpResponse<String> bobWrites = post(bob, null);
        assertEquals(402, bobWrites.statusCode(), "Bob's tenant is past_due");
        assertEquals("past_due", JSON.readTree(bobWrites.body()).get("billing_status").asText());

        assertEquals(201, post(alice, tenantB).statusCode(), "Alice naming Bob's tenant in a header: still Alice's");
        HttpResponse<String> bobAsAlice = post(bob, tenantA);
        assertEquals(402, bobAsAlice.statusCode(), "Bob naming Alice's paying tenant gains nothing");
        assertEquals("past_due", JSON.readTree(bobAsAlice.body()).get("billing_status").asText());
        assertEquals(200, send(HttpRequest.newBuilder(url("/api/projects")).header("Authorization", "Bearer " + bob)
                .GET().build()).statusCode(), "reads stay allowed while past_due");
    }

    @Test
    void withoutATokenSpringSecurityRefusesAndATokenWithoutTheClaimHasNoTenant() throws Exception {
        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(url("/api/projects")).header("X-Tenant-Id", tenantA)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(401, anonymous.statusCode(), "a header alone is not an identity");

        HttpResponse<String> noClaim = post(token("carol", Map.of()), tenantA);
        assertEquals(400, noClaim.statusCode());
        assertEquals("tenant_required", JSON.readTree(noClaim.body()).get("error").asText());

        HttpResponse<String> forged = post(token("mallory", Map.of("tenant_id", "t".repeat(300))), null);
        assertEquals(400, forged.statusCode(), "an over-long tenant claim is refused before any lookup");
        assertEquals("tenant_invalid", JSON.readTree(forged.body()).get("error").asText());
    }

    @Test
    void startUpSaysWhereTheTenantComesFrom(CapturedOutput output) {
        assertTrue(output.getAll().contains("tollgate.billing.tenant source=authentication claim=tenant_id"),
                "the start-up marker");
        assertTrue(output.getAll().lines().noneMatch(l -> l.contains("trusted proxy")), "no header warning");
    }

    private static String token(String subject, Map<String, Object> claims) throws JOSEException {
        JWTClaimsSet.Builder set = new JWTClaimsSet.Builder().subject(subject).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(300)));
        claims.forEach(set::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(SecuredApplication.ISSUER_KEY.getKeyID()).build(), set.build());
        jwt.sign(new RSASSASigner(SecuredApplication.ISSUER_KEY));
        return jwt.serialize();
    }

    private HttpResponse<String> post(String bearer, @Nullable String tenantHeader) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url("/api/projects"))
                .header("Authorization", "Bearer " + bearer).POST(HttpRequest.BodyPublishers.noBody());
        if (tenantHeader != null) {
            request.header("X-Tenant-Id", tenantHeader);
        }
        return send(request.build());
    }

    private void deliver(StripeEventFixture event) {
        ReplayAnswer answer = Replayer.toUrl(url("/webhooks/stripe"), http).deliver(stripe.sign(event.build()));
        assertEquals(200, answer.httpStatus(), answer.body());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private URI url(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
