/**
 * Integrity reports shared by the modules whose SQL schemas can verify themselves (consent, legal, …)
 * and by the health module that exposes them as readiness contributors.
 *
 * <p>Each module ships a PostgreSQL function {@code RETURNS TABLE(check_name text, status text, detail text)};
 * {@link dev.tollgate.integrity.SqlIntegrityVerifier} runs it and returns an
 * {@link dev.tollgate.integrity.IntegrityReport}, a list of {@link dev.tollgate.integrity.IntegrityCheck}s.
 *
 * <pre>{@code
 * IntegrityReport report = SqlIntegrityVerifier.of(dataSource, "consent.verify_consent_schema").verify();
 * if (!report.passed()) {
 *     report.failures().forEach(check -> log.error("{}: {}", check.name(), check.detail()));
 * }
 * }</pre>
 */
@NullMarked
package dev.tollgate.integrity;

import org.jspecify.annotations.NullMarked;
