package dev.durable.processor;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.WildcardTypeName;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;

/** Turns a {@link ProxyModel} into the source of its {@code _Durable} class. */
final class ProxyWriter {
    /** Core types are named, never loaded: the processor does not need durable-core on its class path. */
    static final String WEAVING = "dev.durable.spi.weaving";

    static final String API = "dev.durable";

    private static final ClassName DURABLE_METHOD = ClassName.get(WEAVING, "DurableMethod");
    private static final ClassName DURABLE_METHODS = ClassName.get(WEAVING, "DurableMethods");
    private static final ClassName DURABLE_PROXY = ClassName.get(WEAVING, "DurableProxy");
    private static final ClassName PROXY_REGISTRATION = ClassName.get(WEAVING, "ProxyRegistration");
    private static final ClassName DURABLE_RUNTIME = ClassName.get(API, "DurableRuntime");
    private static final ClassName EXECUTION = ClassName.get(API, "Execution");
    private static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
    private static final TypeName ANY_CLASS =
            ParameterizedTypeName.get(ClassName.get(Class.class), WildcardTypeName.subtypeOf(Object.class));

    private final boolean generatedAvailable;

    /**
     * @param generatedAvailable whether {@code javax.annotation.processing.Generated} exists in the target release
     *     (it does from Java 9 on)
     */
    ProxyWriter(boolean generatedAvailable) {
        this.generatedAvailable = generatedAvailable;
    }

    JavaFile write(ProxyModel model) {
        // user parameter names are taken first, so a descriptor field never hides a parameter or the reverse
        NameAllocator fieldNames = new NameAllocator();
        Set<String> parameterNames = new TreeSet<>();
        for (ProxyModel.Method method : model.methods()) {
            for (ProxyModel.Parameter parameter : method.parameters()) {
                fieldNames.newName(parameter.name());
                parameterNames.add(parameter.name());
            }
        }
        TypeSpec.Builder proxy = TypeSpec.classBuilder(model.proxyClass().simpleName())
                .addOriginatingElement(model.function())
                .avoidClashesWithNestedClasses(model.function())
                // in `DurableMethods.call(...)` a parameter of that name would win over the type
                .alwaysQualify(parameterNames.toArray(new String[0]))
                .addJavadoc(
                        "Durable proxy of {@link $T}: its {@code @Step}, {@code @Wait} and {@code @Callback}"
                                + " methods run through\nthe engine. Register an instance with the runtime in place of the"
                                + " original.\n",
                        model.functionClass())
                .addJavadoc(model.starter().map(s -> startersJavadoc(model, s)).orElse(CodeBlock.of("")))
                .addModifiers(model.visibility().toArray(new Modifier[0]))
                .addModifiers(Modifier.FINAL)
                .addTypeVariables(model.typeVariables())
                .superclass(model.superclass())
                .addSuperinterface(DURABLE_PROXY);
        if (generatedAvailable) {
            proxy.addAnnotation(AnnotationSpec.builder(GENERATED)
                    .addMember("value", "$S", DurableProcessor.class.getName())
                    .build());
        }
        List<MethodSpec> overrides = new ArrayList<>();
        for (ProxyModel.Method method : model.methods()) {
            String field = fieldNames.newName(constantName(method.name()));
            proxy.addField(descriptor(model, method, field));
            overrides.add(override(method, field));
        }
        for (ProxyModel.Constructor constructor : model.constructors()) {
            proxy.addMethod(constructor(constructor));
        }
        model.starter().filter(s -> !s.nested()).ifPresent(s -> proxy.addMethods(starters(model, s)));
        proxy.addMethods(overrides);
        model.starter().filter(ProxyModel.Starter::nested).ifPresent(s -> proxy.addType(starterClass(model, s)));
        proxy.addType(registration(model));
        return JavaFile.builder(model.proxyClass().packageName(), proxy.build())
                .indent("    ")
                .skipJavaLangImports(true)
                .build();
    }

    private static FieldSpec descriptor(ProxyModel model, ProxyModel.Method method, String field) {
        CodeBlock.Builder init =
                CodeBlock.builder().add("$T.of($T.class,$W$S", DURABLE_METHOD, model.functionClass(), method.name());
        for (TypeName type : method.erasedParameterTypes()) {
            init.add(",$W$T.class", type);
        }
        return FieldSpec.builder(DURABLE_METHOD, field, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer(init.add(")").build())
                .build();
    }

    private static MethodSpec constructor(ProxyModel.Constructor constructor) {
        MethodSpec.Builder spec = MethodSpec.constructorBuilder()
                .addModifiers(constructor.visibility().toArray(new Modifier[0]))
                .addTypeVariables(constructor.typeVariables())
                .addParameters(parameters(constructor.parameters()))
                .varargs(constructor.varargs())
                .addExceptions(constructor.thrown())
                .addStatement("super($L)", arguments(constructor.parameters()));
        if (constructor.deprecated()) {
            spec.addAnnotation(Deprecated.class);
        }
        return spec.build();
    }

    private static MethodSpec override(ProxyModel.Method method, String field) {
        NameAllocator locals = new NameAllocator();
        for (ProxyModel.Parameter parameter : method.parameters()) {
            locals.newName(parameter.name(), parameter);
        }
        String caught = locals.newName("e");
        String failure = locals.newName("t");

        MethodSpec.Builder spec = MethodSpec.methodBuilder(method.name())
                .addAnnotation(Override.class)
                .addModifiers(method.visibility().toArray(new Modifier[0]))
                .addTypeVariables(method.typeVariables())
                .returns(method.returnType())
                .addParameters(parameters(method.parameters()))
                .varargs(method.varargs())
                .addExceptions(method.thrown());
        if (method.deprecated()) {
            spec.addAnnotation(Deprecated.class);
        }
        if (!isReifiable(method.returnType())) {
            spec.addAnnotation(AnnotationSpec.builder(SuppressWarnings.class)
                    .addMember("value", "$S", "unchecked")
                    .build());
        }
        CodeBlock call = call(method, field);
        if (method.throwsThrowable()) {
            return spec.addCode(call).build();
        }
        spec.beginControlFlow("try")
                .addCode(call)
                .nextControlFlow("catch ($T | $T $N)", RuntimeException.class, Error.class, caught)
                .addStatement("throw $N", caught);
        if (!method.rethrown().isEmpty()) {
            CodeBlock types =
                    method.rethrown().stream().map(t -> CodeBlock.of("$T", t)).collect(CodeBlock.joining(" | "));
            spec.nextControlFlow("catch ($L $N)", types, caught).addStatement("throw $N", caught);
        }
        return spec.nextControlFlow("catch ($T $N)", Throwable.class, failure)
                .addStatement("throw new $T($N)", UndeclaredThrowableException.class, failure)
                .endControlFlow()
                .build();
    }

    /** {@code return (Reservation) DurableMethods.call(RESERVE, new Object[] {o}, () -> super.reserve(o));} */
    private static CodeBlock call(ProxyModel.Method method, String field) {
        CodeBlock arguments = arguments(method.parameters());
        CodeBlock array = method.parameters().isEmpty()
                ? CodeBlock.of("new $T[0]", Object.class)
                : CodeBlock.of("new $T[] {$L}", Object.class, arguments);
        if (method.returnType().equals(TypeName.VOID)) {
            return CodeBlock.builder()
                    .add("$T.call($N,$W$L,$W() -> {\n", DURABLE_METHODS, field, array)
                    .indent()
                    .addStatement("super.$N($L)", method.name(), arguments)
                    .addStatement("return null")
                    .unindent()
                    .add("});\n")
                    .build();
        }
        return CodeBlock.builder()
                .addStatement(
                        "return ($T) $T.call($N,$W$L,$W() -> super.$N($L))",
                        method.returnType(),
                        DURABLE_METHODS,
                        field,
                        array,
                        method.name(),
                        arguments)
                .build();
    }

    private static CodeBlock startersJavadoc(ProxyModel model, ProxyModel.Starter starter) {
        String input = starter.input().isPresent() ? ", input" : "";
        if (!starter.nested()) {
            return CodeBlock.of(
                    "\n<p>Start its executions with the static {@code $L(runtime, executionName$L)}, typed"
                            + " by the {@code @Handler}.\n",
                    ProxyModel.Starter.START,
                    input);
        }
        return CodeBlock.of(
                "\n<p>Start its executions with {@code $L.$L(runtime, executionName$L)}, typed by the"
                        + " {@code @Handler}: the\nstarters are in {@link $L} because {@code $L} has a method named {@code $L}"
                        + " or {@code $L}.\n",
                ProxyModel.Starter.NESTED_CLASS,
                ProxyModel.Starter.START,
                input,
                ProxyModel.Starter.NESTED_CLASS,
                model.functionClass().simpleName(),
                ProxyModel.Starter.START,
                ProxyModel.Starter.START_NEWEST);
    }

    private static TypeSpec starterClass(ProxyModel model, ProxyModel.Starter starter) {
        return TypeSpec.classBuilder(ProxyModel.Starter.NESTED_CLASS)
                .addJavadoc(
                        "The typed starters of {@link $T}, apart from the proxy: {@code $L} has a method named"
                                + " {@code $L} or\n{@code $L}, which static methods of those names in the proxy would clash"
                                + " with.\n",
                        model.functionClass(),
                        model.functionClass().simpleName(),
                        ProxyModel.Starter.START,
                        ProxyModel.Starter.START_NEWEST)
                .addModifiers(model.visibility().toArray(new Modifier[0]))
                .addModifiers(Modifier.STATIC, Modifier.FINAL)
                .addMethod(MethodSpec.constructorBuilder()
                        .addModifiers(Modifier.PRIVATE)
                        .build())
                .addMethods(starters(model, starter))
                .build();
    }

    /**
     * {@code start}, on the version of this very class, as {@code runtime.start(Class, ...)} does; and
     * {@code startNewest}, by function name, on the newest version registered under that name.
     */
    private static List<MethodSpec> starters(ProxyModel model, ProxyModel.Starter starter) {
        String input = starter.input().isPresent() ? "input" : "null";
        CodeBlock start = CodeBlock.of(
                "Starts an execution of {@link $T} on that class's version, typed by its"
                        + " {@code @Handler}, as\n{@code runtime.start($T.class, executionName, $L)} does untyped. Starts are"
                        + " idempotent by name: an\nexecution of that name with the same input is returned, one with another"
                        + " input is refused. Register an\ninstance of the proxy first.\n",
                model.functionClass(),
                model.functionClass(),
                input);
        CodeBlock startNewest = CodeBlock.of(
                "Starts an execution of the function {@code $S} on its newest registered"
                        + " version, as\n{@code runtime.start($S, executionName, $L)} does untyped. It is typed by the"
                        + " {@code @Handler} of\n{@link $T}: use it while every version of {@code $S} keeps those types;"
                        + " {@code $L} starts the\nversion of {@link $T} instead.\n",
                starter.functionName(),
                starter.functionName(),
                input,
                model.functionClass(),
                starter.functionName(),
                ProxyModel.Starter.START,
                model.functionClass());
        return List.of(
                starter(ProxyModel.Starter.START, start, starter, CodeBlock.of("$T.class", model.functionClass())),
                starter(
                        ProxyModel.Starter.START_NEWEST,
                        startNewest,
                        starter,
                        CodeBlock.of("$S", starter.functionName())));
    }

    private static MethodSpec starter(String name, CodeBlock javadoc, ProxyModel.Starter starter, CodeBlock function) {
        MethodSpec.Builder spec = MethodSpec.methodBuilder(name)
                .addJavadoc(javadoc)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addTypeVariables(starter.typeVariables())
                .returns(ParameterizedTypeName.get(EXECUTION, starter.output()))
                .addParameter(DURABLE_RUNTIME, "runtime")
                .addParameter(String.class, "executionName");
        starter.input().ifPresent(type -> spec.addParameter(type, "input"));
        return spec.addStatement(
                        "return runtime.start($L, executionName, $L)",
                        function,
                        starter.input().isPresent() ? "input" : "null")
                .build();
    }

    private static TypeSpec registration(ProxyModel model) {
        return TypeSpec.classBuilder("Registration")
                .addJavadoc("Lists this proxy for {@code ProxyRegistration.proxyOf}, through"
                        + " {@code META-INF/services}.\n")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(PROXY_REGISTRATION)
                .addMethod(MethodSpec.constructorBuilder()
                        .addModifiers(Modifier.PUBLIC)
                        .build())
                .addMethod(classGetter("functionClass", model.functionClass()))
                .addMethod(classGetter("proxyClass", model.proxyClass()))
                .build();
    }

    private static MethodSpec classGetter(String name, ClassName value) {
        return MethodSpec.methodBuilder(name)
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(ANY_CLASS)
                .addStatement("return $T.class", value)
                .build();
    }

    private static List<ParameterSpec> parameters(List<ProxyModel.Parameter> parameters) {
        return parameters.stream()
                .map(p -> ParameterSpec.builder(p.type(), p.name()).build())
                .collect(Collectors.toList());
    }

    private static CodeBlock arguments(List<ProxyModel.Parameter> parameters) {
        return parameters.stream().map(p -> CodeBlock.of("$N", p.name())).collect(CodeBlock.joining(", "));
    }

    /** Whether a cast from Object to {@code type} is checked at run time, so needs no unchecked warning. */
    private static boolean isReifiable(TypeName type) {
        if (type instanceof ArrayTypeName array) {
            return isReifiable(array.componentType());
        }
        if (type instanceof ParameterizedTypeName parameterized) {
            return parameterized.typeArguments().stream()
                    .allMatch(a -> a instanceof WildcardTypeName w
                            && w.lowerBounds().isEmpty()
                            && w.upperBounds().equals(List.of(ClassName.OBJECT)));
        }
        return type.isPrimitive() || type.equals(TypeName.VOID) || type instanceof ClassName;
    }

    /** {@code ASK_MANAGER} for {@code askManager}. */
    static String constantName(String methodName) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < methodName.length(); i++) {
            char c = methodName.charAt(i);
            boolean boundary = i > 0
                    && Character.isUpperCase(c)
                    && (Character.isLowerCase(methodName.charAt(i - 1))
                            || Character.isDigit(methodName.charAt(i - 1))
                            || (i + 1 < methodName.length() && Character.isLowerCase(methodName.charAt(i + 1))));
            if (boundary) {
                s.append('_');
            }
            s.append(c);
        }
        return s.toString().toUpperCase(Locale.ROOT);
    }
}
