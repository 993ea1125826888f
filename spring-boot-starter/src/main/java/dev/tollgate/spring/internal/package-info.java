/**
 * The starter's moving parts (servlet, filter, interceptor, health indicator, start-up checks): not API,
 * created by the auto-configuration only; they may change in any release.
 */
@NullMarked
package dev.tollgate.spring.internal;

import org.jspecify.annotations.NullMarked;
