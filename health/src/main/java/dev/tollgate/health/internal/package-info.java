/**
 * Implementation details of the health module. Not API: may change in any release.
 */
@NullMarked
package dev.tollgate.health.internal;

import org.jspecify.annotations.NullMarked;
