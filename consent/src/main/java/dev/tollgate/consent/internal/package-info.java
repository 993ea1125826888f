/** Implementation details of the consent module; not API, may change without notice. */
@NullMarked
package dev.tollgate.consent.internal;

import org.jspecify.annotations.NullMarked;
