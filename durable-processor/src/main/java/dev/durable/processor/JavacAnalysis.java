package dev.durable.processor;

import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.source.util.Trees;
import java.lang.reflect.Field;
import java.util.function.Consumer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;

/**
 * The one way the processor reads method bodies: javac's Trees API, once javac has attributed a class (after
 * annotation processing), so calls are matched by the methods they resolve to. An annotation processor is shown
 * annotated elements only; a {@link TaskListener} sees every class javac analyses, and the end of the compilation.
 */
final class JavacAnalysis {
    private final ProcessingEnvironment javac;

    private JavacAnalysis(ProcessingEnvironment javac) {
        this.javac = javac;
    }

    /** The analysis of the compilation behind {@code env}, or {@code null} when the compiler is not javac. */
    static JavacAnalysis of(ProcessingEnvironment env) {
        ProcessingEnvironment javac = unwrap(env);
        return javac == null ? null : new JavacAnalysis(javac);
    }

    Trees trees() {
        return Trees.instance(javac);
    }

    /** Calls {@code analysed} with each class javac has attributed, and {@code end} once the compilation is over. */
    void listen(Consumer<TypeElement> analysed, Runnable end) {
        JavacTask.instance(javac).addTaskListener(new TaskListener() {
            @Override
            public void finished(TaskEvent event) {
                if (event.getKind() == TaskEvent.Kind.ANALYZE && event.getTypeElement() != null) {
                    analysed.accept(event.getTypeElement());
                } else if (event.getKind() == TaskEvent.Kind.COMPILATION) {
                    end.run();
                }
            }
        });
    }

    /**
     * The top-level class around {@code element}. Only its trees are sure to be as written when one of its classes
     * is analysed: javac may already have lowered those of any other.
     */
    static Element outermost(Element element) {
        Element e = element;
        while (e.getEnclosingElement() != null
                && e.getEnclosingElement().getKind() != ElementKind.PACKAGE
                && e.getEnclosingElement().getKind() != ElementKind.MODULE) {
            e = e.getEnclosingElement();
        }
        return e;
    }

    /**
     * The javac environment behind {@code env}. Build tools may wrap it (Gradle does, for incremental processing);
     * their wrappers keep it in a field.
     */
    private static ProcessingEnvironment unwrap(ProcessingEnvironment env) {
        for (int depth = 0; env != null && depth < 4; depth++) {
            try {
                JavacTask.instance(env);
                return env;
            } catch (IllegalArgumentException | ClassCastException e) {
                env = delegateOf(env);
            }
        }
        return null;
    }

    private static ProcessingEnvironment delegateOf(ProcessingEnvironment env) {
        for (Class<?> c = env.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (ProcessingEnvironment.class.isAssignableFrom(field.getType())) {
                    try {
                        field.setAccessible(true);
                        return (ProcessingEnvironment) field.get(env);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }
}
