/**
 * The Java side of the append-only record pattern that consent records and legal acceptances share: the
 * transaction a chained append runs in, how a refused write is told apart from an unreachable database, and the
 * keyed fingerprints stored instead of IP addresses and user agents. Not API: anything here may change or go away
 * in any release.
 */
@NullMarked
package dev.tollgate.internal.appendonly;

import org.jspecify.annotations.NullMarked;
