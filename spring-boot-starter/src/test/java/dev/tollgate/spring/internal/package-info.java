/** Tests of the starter's internals. */
@NullMarked
package dev.tollgate.spring.internal;

import org.jspecify.annotations.NullMarked;
