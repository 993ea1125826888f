/**
 * Evidence that survives the database administrator: keyed chains over append-only records and Ed25519-signed
 * checkpoints kept outside the database.
 *
 * <p>Each new row of an evidence stream (consent records, legal audit rows) carries two chain values: a keyed one,
 * HMAC-SHA256 under a {@link dev.tollgate.evidence.ChainKey} that is not stored in the database, and a public one,
 * SHA-256, that anyone can recompute. A {@link dev.tollgate.evidence.Checkpointer} signs the head of each stream
 * with a {@link dev.tollgate.evidence.CheckpointSigner} and writes it to {@link dev.tollgate.evidence.CheckpointSink}s
 * outside PostgreSQL; a {@link dev.tollgate.evidence.ChainVerifier} later checks the database against those
 * checkpoints and the public key.
 *
 * <pre>{@code
 * KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();   // once; keep the private key safe
 * Checkpointer checkpointer = Checkpointer.builder()
 *         .stream(consentRepository.evidence()).stream(legalRepository.evidence())
 *         .signer(CheckpointSigner.of("cp-2026", pair.getPrivate()))
 *         .sink(new FileCheckpointSink(Path.of("/mnt/worm/checkpoints"))).sink(new LogCheckpointSink())
 *         .interval(Duration.ofMinutes(10)).clock(Clock.systemUTC()).build();
 * checkpointer.start();   // and checkpointer.close() at shutdown
 * }</pre>
 */
@NullMarked
package dev.tollgate.evidence;

import org.jspecify.annotations.NullMarked;
