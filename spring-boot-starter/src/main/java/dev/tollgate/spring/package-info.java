/**
 * Tollgate in a Spring Boot 4 service: add {@code dev.tollgate:tollgate-spring-boot-starter}, set
 * {@code tollgate.webhooks.stripe.secret}, and annotate write endpoints with {@link
 * dev.tollgate.spring.RequiresBilling @RequiresBilling}.
 *
 * <p>The API a user touches is small: the {@link dev.tollgate.spring.RequiresBilling} annotation, the
 * {@link dev.tollgate.spring.TenantResolver} to replace (default {@link
 * dev.tollgate.spring.HeaderTenantResolver}), the {@link dev.tollgate.spring.TollgateWebhookCustomizer}
 * to add handlers, and {@link dev.tollgate.spring.TollgateProperties} ({@code tollgate.*}). Everything
 * else is created by the auto-configuration and backs off when the application defines its own bean.
 */
@NullMarked
package dev.tollgate.spring;

import org.jspecify.annotations.NullMarked;
