/**
 * Versioned legal documents (terms, privacy, imprint, …) with effective dates and SHA-256 content hashes,
 * acceptance records written together with a hash-chained audit row, "what must this user (re)accept now",
 * public page rendering, and an integrity verifier.
 *
 * <pre>{@code
 * LegalService legal = LegalService.builder()
 *         .repository(new PostgresLegalRepository(dataSource))
 *         .clock(Clock.systemUTC())
 *         .fingerprintKey(Secret.of(System.getenv("TOLLGATE_FINGERPRINT_KEY")))
 *         .build();
 * for (PendingAcceptance pending : legal.pendingAcceptances(userId)) { … show it … }
 * legal.accept(AcceptanceRequest.builder().userId(userId).source("signup")
 *         .document(DocumentKind.TERMS, "2.0").document(DocumentKind.PRIVACY, "1.4").build());
 * }</pre>
 */
@NullMarked
package dev.tollgate.legal;

import org.jspecify.annotations.NullMarked;
