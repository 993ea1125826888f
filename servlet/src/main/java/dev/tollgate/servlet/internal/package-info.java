/**
 * Implementation of {@code tollgate-servlet}: not API, may change in any release.
 */
@NullMarked
package dev.tollgate.servlet.internal;

import org.jspecify.annotations.NullMarked;
