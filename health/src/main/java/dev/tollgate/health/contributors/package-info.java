/**
 * The health contributors Tollgate ships: database, SQL verifier functions, configuration, the purchases
 * kill switch and backup freshness. Register them with a {@link dev.tollgate.health.HealthRegistry}.
 */
@NullMarked
package dev.tollgate.health.contributors;

import org.jspecify.annotations.NullMarked;
