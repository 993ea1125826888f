/**
 * Helpers for Tollgate's own module tests. Not API: anything here may change or go away in any release.
 */
@NullMarked
package dev.tollgate.testkit.internal;

import org.jspecify.annotations.NullMarked;
