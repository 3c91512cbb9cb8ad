package dev.durable.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaFileObject;

/** The class files and resources of a successful compilation, loadable next to the test class path. */
final class CompiledClasses {
    private final URLClassLoader loader;

    private CompiledClasses(URLClassLoader loader) {
        this.loader = loader;
    }

    /** Writes every file {@code compilation} produced under {@code directory} and loads from there. */
    static CompiledClasses of(Compilation compilation, Path directory) {
        assertThat(compilation).succeeded();
        try {
            for (JavaFileObject file : compilation.generatedFiles()) {
                // mem:///CLASS_OUTPUT/shop/Orders.class -> shop/Orders.class
                String path = file.toUri().getPath().replaceFirst("^/[^/]+/", "");
                Path target = directory.resolve(path);
                Files.createDirectories(target.getParent());
                try (InputStream in = file.openInputStream()) {
                    Files.copy(in, target);
                }
            }
            return new CompiledClasses(
                    new URLClassLoader(new URL[] {directory.toUri().toURL()}, CompiledClasses.class.getClassLoader()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Class<?> load(String name) throws ClassNotFoundException {
        return Class.forName(name, true, loader);
    }

    ClassLoader loader() {
        return loader;
    }

    Object newInstance(String name, Object... args) throws ReflectiveOperationException {
        for (Constructor<?> c : load(name).getDeclaredConstructors()) {
            if (c.getParameterCount() == args.length) {
                c.setAccessible(true);
                return c.newInstance(args);
            }
        }
        throw new NoSuchMethodException(name + " with " + args.length + " arguments");
    }

    /** Calls {@code name} on {@code target} and returns its result, rethrowing what the method threw. */
    static Object call(Object target, String name, Object... args) throws Throwable {
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(name) && m.getParameterCount() == args.length) {
                    m.setAccessible(true);
                    try {
                        return m.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                }
            }
        }
        throw new NoSuchMethodException(name);
    }
}
