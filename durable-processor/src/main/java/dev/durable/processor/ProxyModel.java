package dev.durable.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import java.util.List;
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
 */
record ProxyModel(
        TypeElement function,
        ClassName functionClass,
        ClassName proxyClass,
        Set<Modifier> visibility,
        List<TypeVariableName> typeVariables,
        TypeName superclass,
        List<Constructor> constructors,
        List<Method> methods) {

    ProxyModel {
        visibility = Set.copyOf(visibility);
        typeVariables = List.copyOf(typeVariables);
        constructors = List.copyOf(constructors);
        methods = List.copyOf(methods);
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
