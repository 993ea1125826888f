/**
 * Implementation details of the webhooks module. Not API: anything here may change in any release.
 */
@NullMarked
package dev.tollgate.webhooks.internal;

import org.jspecify.annotations.NullMarked;
