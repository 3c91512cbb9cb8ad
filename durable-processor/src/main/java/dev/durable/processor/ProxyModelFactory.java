package dev.durable.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.IntersectionType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.type.WildcardType;
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
        List<TypeVariableName> typeVariables =
                type.getTypeParameters().stream().map(TypeVariableName::get).collect(Collectors.toList());
        TypeName superclass = typeVariables.isEmpty()
                ? functionClass
                : ParameterizedTypeName.get(functionClass, typeVariables.toArray(new TypeName[0]));
        List<ProxyModel.Constructor> constructors = ElementFilter.constructorsIn(type.getEnclosedElements()).stream()
                .filter(c -> !c.getModifiers().contains(Modifier.PRIVATE))
                .map(this::constructor)
                .sorted(Comparator.comparing(
                                (ProxyModel.Constructor c) -> c.parameters().size())
                        .thenComparing(c -> c.parameters().stream()
                                .map(p -> p.type().toString())
                                .collect(Collectors.joining(","))))
                .collect(Collectors.toList());
        List<ProxyModel.Method> methods = ElementFilter.methodsIn(type.getEnclosedElements()).stream()
                .filter(m -> !DurableAnnotations.operations(m).isEmpty())
                .map(this::method)
                .sorted(Comparator.comparing(ProxyModel.Method::name)
                        .thenComparing(m -> m.parameters().size())
                        .thenComparing(m -> m.erasedParameterTypes().toString()))
                .collect(Collectors.toList());
        return new ProxyModel(
                type,
                functionClass,
                ClassName.get(functionClass.packageName(), proxyName(type)),
                proxyVisibility(type),
                typeVariables,
                superclass,
                constructors,
                methods,
                starter(type));
    }

    /** The name the runtime registers {@code type} under: the annotation's value, or the class's simple name. */
    static String functionName(TypeElement type) {
        return DurableAnnotations.find(type, DurableAnnotations.DURABLE_FUNCTION)
                .flatMap(f -> DurableAnnotations.explicitValue(f, "value"))
                .map(v -> (String) v.getValue())
                .filter(v -> !v.isEmpty())
                .orElse(type.getSimpleName().toString());
    }

    /**
     * The starters typed by the class's one {@code @Handler}. They move to a nested class when the user's class has a
     * method named like one of them (of any signature, declared or inherited): a static method in the proxy may not
     * hide an inherited instance method, and an overload beside the user's would only confuse.
     */
    private Optional<ProxyModel.Starter> starter(TypeElement type) {
        Optional<ExecutableElement> found = ElementFilter.methodsIn(type.getEnclosedElements()).stream()
                .filter(m -> DurableAnnotations.has(m, DurableAnnotations.HANDLER))
                .findFirst();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ExecutableElement handler = found.get();
        List<TypeMirror> signature = new ArrayList<>();
        signature.add(handler.getReturnType());
        handler.getParameters().forEach(p -> signature.add(p.asType()));
        Set<Element> used = new HashSet<>();
        signature.forEach(t -> collectTypeVariables(t, used));
        List<TypeParameterElement> declared = Stream.concat(
                        type.getTypeParameters().stream(), handler.getTypeParameters().stream())
                .filter(used::contains)
                .collect(Collectors.toList());
        boolean nameable = signature.stream().allMatch(ProxyModelFactory::isNameable)
                && declared.stream().flatMap(v -> v.getBounds().stream()).allMatch(ProxyModelFactory::isNameable);
        if (!nameable) {
            return Optional.empty();
        }
        boolean clash = ElementFilter.methodsIn(elements.getAllMembers(type)).stream()
                .map(m -> m.getSimpleName().toString())
                .anyMatch(n -> n.equals(ProxyModel.Starter.START) || n.equals(ProxyModel.Starter.START_NEWEST));
        Optional<TypeName> input = handler.getParameters().stream().findFirst().map(p -> TypeName.get(p.asType()));
        return Optional.of(new ProxyModel.Starter(
                functionName(type),
                declared.stream().map(TypeVariableName::get).collect(Collectors.toList()),
                input,
                TypeName.get(handler.getReturnType()).box(),
                clash));
    }

    /** Adds the type variables {@code type} mentions, and those their bounds mention, to {@code found}. */
    private static void collectTypeVariables(TypeMirror type, Set<Element> found) {
        switch (type.getKind()) {
            case TYPEVAR -> {
                TypeVariable variable = (TypeVariable) type;
                if (found.add(variable.asElement())) {
                    collectTypeVariables(variable.getUpperBound(), found);
                }
            }
            case DECLARED -> {
                DeclaredType declared = (DeclaredType) type;
                collectTypeVariables(declared.getEnclosingType(), found);
                declared.getTypeArguments().forEach(a -> collectTypeVariables(a, found));
            }
            case ARRAY -> collectTypeVariables(((ArrayType) type).getComponentType(), found);
            case WILDCARD -> {
                WildcardType wildcard = (WildcardType) type;
                if (wildcard.getExtendsBound() != null) {
                    collectTypeVariables(wildcard.getExtendsBound(), found);
                }
                if (wildcard.getSuperBound() != null) {
                    collectTypeVariables(wildcard.getSuperBound(), found);
                }
            }
            case INTERSECTION -> ((IntersectionType) type).getBounds().forEach(b -> collectTypeVariables(b, found));
            default -> {}
        }
    }

    /** Whether the proxy, a class beside the user's, can name {@code type}: no private class appears in it. */
    private static boolean isNameable(TypeMirror type) {
        switch (type.getKind()) {
            case DECLARED -> {
                DeclaredType declared = (DeclaredType) type;
                for (Element e = declared.asElement(); e instanceof TypeElement; e = e.getEnclosingElement()) {
                    if (e.getModifiers().contains(Modifier.PRIVATE)) {
                        return false;
                    }
                }
                return isNameable(declared.getEnclosingType())
                        && declared.getTypeArguments().stream().allMatch(ProxyModelFactory::isNameable);
            }
            case ARRAY -> {
                return isNameable(((ArrayType) type).getComponentType());
            }
            case WILDCARD -> {
                WildcardType wildcard = (WildcardType) type;
                return (wildcard.getExtendsBound() == null || isNameable(wildcard.getExtendsBound()))
                        && (wildcard.getSuperBound() == null || isNameable(wildcard.getSuperBound()));
            }
            default -> {
                return true;
            }
        }
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
                .filter(t -> checked.stream()
                        .noneMatch(other -> other != t && !types.isSameType(other, t) && types.isSubtype(t, other)))
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
                m.getParameters().stream()
                        .map(p -> TypeName.get(types.erasure(p.asType())))
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
                .map(p -> new ProxyModel.Parameter(
                        TypeName.get(p.asType()), p.getSimpleName().toString()))
                .collect(Collectors.toList());
    }

    /** Public when the user's class can be named from anywhere; a top-level class has no other choice. */
    private static Set<Modifier> proxyVisibility(TypeElement type) {
        for (Element e = type; e instanceof TypeElement; e = e.getEnclosingElement()) {
            if (!e.getModifiers().contains(Modifier.PUBLIC)
                    && !e.getEnclosingElement().getKind().isInterface()) {
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
