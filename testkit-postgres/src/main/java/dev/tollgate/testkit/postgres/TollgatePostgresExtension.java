package dev.tollgate.testkit.postgres;

import javax.sql.DataSource;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link TollgatePostgres}: one fresh database per test class, on
 * {@link TestPostgres#shared()}, dropped after the class.
 */
public final class TollgatePostgresExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(TollgatePostgresExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == DataSource.class || type == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestDatabase database = database(context);
        return parameter.getParameter().getType() == TestDatabase.class ? database : database.dataSource();
    }

    private static TestDatabase database(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() || classContext.getTestClass().isEmpty()
                || classContext.getRequiredTestClass() != testClass) {
            classContext = classContext.getParent().orElseThrow(
                    () -> new ParameterResolutionException("no test class context for " + testClass));
        }
        // Nested classes share the database of the outermost annotated class.
        ExtensionContext owner = outermostAnnotated(classContext);
        boolean migrate = AnnotationSupport.findAnnotation(owner.getRequiredTestClass(), TollgatePostgres.class)
                .map(TollgatePostgres::migrate).orElse(true);
        return owner.getStore(NAMESPACE).getOrComputeIfAbsent("database", key -> {
            TestDatabase db = TestPostgres.shared().createDatabase();
            return new Holder(migrate ? db.migrate() : db);
        }, Holder.class).database;
    }

    private static ExtensionContext outermostAnnotated(ExtensionContext context) {
        ExtensionContext owner = context;
        ExtensionContext current = context;
        while (current.getParent().isPresent() && current.getParent().get().getTestClass().isPresent()) {
            current = current.getParent().get();
            if (AnnotationSupport.isAnnotated(current.getRequiredTestClass(), TollgatePostgres.class)) {
                owner = current;
            }
        }
        return owner;
    }

    /** Closes the database when JUnit closes the class's store. */
    private record Holder(TestDatabase database) implements AutoCloseable {
        @Override
        public void close() {
            database.close();
        }
    }
}
