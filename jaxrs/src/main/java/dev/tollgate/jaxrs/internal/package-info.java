/**
 * Implementation of {@code tollgate-jaxrs}: not API, may change in any release.
 */
@NullMarked
package dev.tollgate.jaxrs.internal;

import org.jspecify.annotations.NullMarked;
