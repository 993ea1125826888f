/** Implementation details of the legal module; not API, may change without notice. */
@NullMarked
package dev.tollgate.legal.internal;

import org.jspecify.annotations.NullMarked;
