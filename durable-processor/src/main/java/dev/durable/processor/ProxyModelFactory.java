package dev.durable.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/** Builds the {@link ProxyModel} of a validated {@code @DurableFunction} class. */
final class ProxyModelFactory {
    private static final Set<Modifier> VISIBILITY = EnumSet.of(Modifier.PUBLIC, Modifier.PROTECTED);

    private final Elements elements;
    private final Types types;

    ProxyModelFactory(Elements elements, Types types) {
        this.elements = elements;
        this.types = types;
    }

    /** {@code Outer_Inner_Durable} for {@code Outer.Inner}. */
    static String proxyName(TypeElement type) {
        return String.join("_", ClassName.get(type).simpleNames()) + "_Durable";
    }

    ProxyModel create(TypeElement type) {
        ClassName functionClass = ClassName.get(type);
        List<TypeVariableName> typeVariables = type.getTypeParameters().stream()
                .map(TypeVariableName::get)
                .collect(Collectors.toList());
        TypeName superclass = typeVariables.isEmpty()
                ? functionClass
                : ParameterizedTypeName.get(functionClass, typeVariables.toArray(new TypeName[0]));
        List<ProxyModel.Constructor> constructors = ElementFilter.constructorsIn(type.getEnclosedElements()).stream()
                .filter(c -> !c.getModifiers().contains(Modifier.PRIVATE))
                .map(this::constructor)
                .sorted(Comparator.comparing((ProxyModel.Constructor c) -> c.parameters().size())
                        .thenComparing(c -> c.parameters().stream().map(p -> p.type().toString())
                                .collect(Collectors.joining(","))))
                .collect(Collectors.toList());
        List<ProxyModel.Method> methods = ElementFilter.methodsIn(type.getEnclosedElements()).stream()
                .filter(m -> !DurableAnnotations.operations(m).isEmpty())
                .map(this::method)
                .sorted(Comparator.comparing(ProxyModel.Method::name)
                        .thenComparing(m -> m.parameters().size())
                        .thenComparing(m -> m.erasedParameterTypes().toString()))
                .collect(Collectors.toList());
        return new ProxyModel(type, functionClass, ClassName.get(functionClass.packageName(), proxyName(type)),
                proxyVisibility(type), typeVariables, superclass, constructors, methods);
    }

    private ProxyModel.Constructor constructor(ExecutableElement c) {
        return new ProxyModel.Constructor(
                visibility(c),
                typeVariables(c),
                parameters(c),
                c.isVarArgs(),
                c.getThrownTypes().stream().map(TypeName::get).collect(Collectors.toList()),
                elements.isDeprecated(c));
    }

    private ProxyModel.Method method(ExecutableElement m) {
        List<TypeMirror> checked = new ArrayList<>();
        boolean throwsThrowable = false;
        for (TypeMirror thrown : m.getThrownTypes()) {
            throwsThrowable |= MethodValidator.isType(thrown, "java.lang.Throwable");
            if (!isSubtype(thrown, "java.lang.RuntimeException") && !isSubtype(thrown, "java.lang.Error")) {
                checked.add(thrown);
            }
        }
        // a catch clause for a subtype of another caught type does not compile, and is covered anyway
        List<TypeName> rethrown = checked.stream()
                .filter(t -> checked.stream().noneMatch(other -> other != t && !types.isSameType(other, t)
                        && types.isSubtype(t, other)))
                .map(TypeName::get)
                .distinct()
                .collect(Collectors.toList());
        return new ProxyModel.Method(
                m.getSimpleName().toString(),
                visibility(m),
                typeVariables(m),
                TypeName.get(m.getReturnType()),
                parameters(m),
                m.isVarArgs(),
                m.getParameters().stream().map(p -> TypeName.get(types.erasure(p.asType())))
                        .collect(Collectors.toList()),
                m.getThrownTypes().stream().map(TypeName::get).collect(Collectors.toList()),
                throwsThrowable ? List.of() : rethrown,
                throwsThrowable,
                elements.isDeprecated(m));
    }

    private boolean isSubtype(TypeMirror type, String supertype) {
        TypeElement element = elements.getTypeElement(supertype);
        return element != null && types.isSubtype(type, element.asType());
    }

    private static List<TypeVariableName> typeVariables(ExecutableElement e) {
        return e.getTypeParameters().stream().map(TypeVariableName::get).collect(Collectors.toList());
    }

    private static List<ProxyModel.Parameter> parameters(ExecutableElement e) {
        return e.getParameters().stream()
                .map(p -> new ProxyModel.Parameter(TypeName.get(p.asType()), p.getSimpleName().toString()))
                .collect(Collectors.toList());
    }

    /** Public when the user's class can be named from anywhere; a top-level class has no other choice. */
    private static Set<Modifier> proxyVisibility(TypeElement type) {
        for (Element e = type; e instanceof TypeElement; e = e.getEnclosingElement()) {
            if (!e.getModifiers().contains(Modifier.PUBLIC) && !e.getEnclosingElement().getKind().isInterface()) {
                return Set.of();
            }
        }
        return Set.of(Modifier.PUBLIC);
    }

    private static Set<Modifier> visibility(Element e) {
        Set<Modifier> visibility = EnumSet.noneOf(Modifier.class);
        for (Modifier modifier : e.getModifiers()) {
            if (VISIBILITY.contains(modifier)) {
                visibility.add(modifier);
            }
        }
        return visibility;
    }
}
