/**
 * Versioned consent policies and append-only consent records (GDPR Art. 7), on PostgreSQL or in memory:
 * "only necessary", "accept all" and custom choices, withdrawal as a new record, current consent per subject
 * and purpose, re-consent when a new major policy version is in effect, export for a data subject, and an
 * integrity verifier.
 *
 * <pre>{@code
 * ConsentService consent = ConsentService.builder()
 *         .repository(new PostgresConsentRepository(dataSource))
 *         .clock(Clock.systemUTC())
 *         .build();
 * if (consent.needsReconsent(visitorId)) { … show the banner … }
 * consent.record(ConsentDecision.builder().subjectId(visitorId).policyVersion("2.0").acceptAll()
 *         .source("banner").build());
 * boolean analytics = consent.isGranted(visitorId, "analytics");
 * }</pre>
 */
@NullMarked
package dev.tollgate.consent;

import org.jspecify.annotations.NullMarked;
