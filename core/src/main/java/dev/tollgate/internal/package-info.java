/**
 * Shared implementation details of Tollgate's modules. Not API: anything here may change or go away
 * in any release.
 */
@NullMarked
package dev.tollgate.internal;

import org.jspecify.annotations.NullMarked;
