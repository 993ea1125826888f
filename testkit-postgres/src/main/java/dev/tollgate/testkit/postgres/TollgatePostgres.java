package dev.tollgate.testkit.postgres;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class its own fresh PostgreSQL database with every Tollgate migration on the class
 * path applied. Test methods, constructors and lifecycle methods may declare parameters of type
 * {@link javax.sql.DataSource} or {@link TestDatabase}.
 *
 * <pre>{@code
 * @TollgatePostgres
 * class MyStoreTest {
 *     @Test
 *     void works(DataSource dataSource) { … }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(TollgatePostgresExtension.class)
public @interface TollgatePostgres {

    /** @return whether to apply the Tollgate migrations found on the class path (default true) */
    boolean migrate() default true;
}
