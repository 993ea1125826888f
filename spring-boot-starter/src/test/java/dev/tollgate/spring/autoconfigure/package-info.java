/** One test per auto-configuration condition. */
@NullMarked
package dev.tollgate.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
