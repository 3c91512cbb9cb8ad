package dev.durable.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * Everything the writer needs to emit one {@code _Durable} proxy, already validated, resolved and sorted: the
 * writer makes no decisions about the user's code.
 *
 * @param function the user's class, the originating element of everything written for it
 * @param functionClass the user's class, raw
 * @param proxyClass the proxy to generate, in the same package
 * @param visibility the proxy's access modifier, the same as the user's class (empty for package-private)
 * @param typeVariables the class's type variables, redeclared by the proxy
 * @param superclass the user's class, parameterized with {@code typeVariables}
 * @param constructors one per non-private constructor of the user's class, sorted by signature
 * @param methods one per {@code @Step}, {@code @Wait} or {@code @Callback} method, sorted by name and signature
 * @param starter the typed way to start executions, or empty when the handler's signature names a type the proxy
 *     cannot name (a private nested type)
 */
record ProxyModel(
        TypeElement function,
        ClassName functionClass,
        ClassName proxyClass,
        Set<Modifier> visibility,
        List<TypeVariableName> typeVariables,
        TypeName superclass,
        List<Constructor> constructors,
        List<Method> methods,
        Optional<Starter> starter) {

    ProxyModel {
        visibility = Set.copyOf(visibility);
        typeVariables = List.copyOf(typeVariables);
        constructors = List.copyOf(constructors);
        methods = List.copyOf(methods);
    }

    /**
     * The static methods that start executions typed by the {@code @Handler}: {@code start} and {@code startNewest}.
     *
     * @param functionName the name the runtime registers the function under: the annotation's value, or the class's
     *     simple name
     * @param typeVariables the class's and the handler's type variables that the handler's signature uses
     * @param input the handler's parameter type, or empty when it takes none
     * @param output the handler's return type, boxed; {@code Void} for {@code void}
     * @param nested whether the starters go into a nested {@code Starter} class, because static methods of those
     *     names in the proxy would clash with the user's methods
     */
    record Starter(
            String functionName,
            List<TypeVariableName> typeVariables,
            Optional<TypeName> input,
            TypeName output,
            boolean nested) {

        /** The starters' names, and the class that holds them when the user's class has a method of either name. */
        static final String START = "start";

        static final String START_NEWEST = "startNewest";
        static final String NESTED_CLASS = "Starter";

        Starter {
            typeVariables = List.copyOf(typeVariables);
        }
    }

    /** A parameter, named as the user named it. */
    record Parameter(TypeName type, String name) {}

    /** A constructor of the user's class, mirrored by the proxy. */
    record Constructor(
            Set<Modifier> visibility,
            List<TypeVariableName> typeVariables,
            List<Parameter> parameters,
            boolean varargs,
            List<TypeName> thrown,
            boolean deprecated) {

        Constructor {
            visibility = Set.copyOf(visibility);
            typeVariables = List.copyOf(typeVariables);
            parameters = List.copyOf(parameters);
            thrown = List.copyOf(thrown);
        }
    }

    /**
     * A durable method the proxy overrides.
     *
     * @param erasedParameterTypes the parameters' erasures, to look the method up reflectively
     * @param thrown the declared exceptions, for the {@code throws} clause
     * @param rethrown the declared checked exceptions the override must let through unchanged, without those
     *     already covered by another one of them; empty when none
     * @param throwsThrowable whether the method declares {@code throws Throwable}, which lets everything through
     */
    record Method(
            String name,
            Set<Modifier> visibility,
            List<TypeVariableName> typeVariables,
            TypeName returnType,
            List<Parameter> parameters,
            boolean varargs,
            List<TypeName> erasedParameterTypes,
            List<TypeName> thrown,
            List<TypeName> rethrown,
            boolean throwsThrowable,
            boolean deprecated) {

        Method {
            visibility = Set.copyOf(visibility);
            typeVariables = List.copyOf(typeVariables);
            parameters = List.copyOf(parameters);
            erasedParameterTypes = List.copyOf(erasedParameterTypes);
            thrown = List.copyOf(thrown);
            rethrown = List.copyOf(rethrown);
        }
    }
}
