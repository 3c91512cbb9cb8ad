package dev.durable.agent;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.durable.agent.bootstrap.Dispatcher;
import java.lang.instrument.Instrumentation;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.Nexus;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * What the agent weaves and how: {@link DurableAdvice} on every concrete {@code @Step}, {@code @Wait} and
 * {@code @Callback} method, annotations matched by name so no user class is loaded early. Classes loaded before the
 * agent are retransformed; class formats never change, so that works on any JVM.
 */
final class Weaving {
    static final String ANNOTATIONS = "dev.durable.annotations.";
    static final String STEP = ANNOTATIONS + "Step";
    static final String WAIT = ANNOTATIONS + "Wait";
    static final String CALLBACK = ANNOTATIONS + "Callback";
    static final String DURABLE_FUNCTION = ANNOTATIONS + "DurableFunction";
    static final String DURABLE_PROXY = "dev.durable.spi.weaving.DurableProxy";
    static final String VERBOSE_PROPERTY = "dev.durable.agent.verbose";

    private static final ElementMatcher.Junction<MethodDescription> DURABLE =
            isAnnotatedWith(named(STEP)).or(isAnnotatedWith(named(WAIT))).or(isAnnotatedWith(named(CALLBACK)));

    private Weaving() {}

    /**
     * Installs the engine handler behind the dispatcher, then the weaver. The dispatcher must be on the bootstrap
     * class path already: this class names it, so {@link DurableAgent} itself must not.
     *
     * @param atJvmStart true from {@code premain}: ByteBuddy is then prepared in the background behind a
     *     {@link StartupGate}, unless application classes are loaded already and need retransforming
     */
    static void start(Instrumentation instrumentation, boolean atJvmStart) {
        if (!Dispatcher.install(new EngineHandler())) {
            return; // another copy of the agent, in another class loader, weaves already
        }
        if (atJvmStart && !applicationClassesLoaded(instrumentation)) {
            StartupGate gate = new StartupGate();
            instrumentation.addTransformer(gate, true);
            gate.prepareInBackground(instrumentation);
        } else {
            agentBuilder(instrumentation).installOn(instrumentation);
        }
    }

    static AgentBuilder agentBuilder(Instrumentation instrumentation) {
        skipNexus();
        // javac copies annotations onto bridge methods; only the method they call is durable, with its real types
        AsmVisitorWrapper advice = Advice.to(DurableAdvice.class)
                .on(DURABLE.and(not(isAbstract())).and(not(isNative())).and(not(isBridge())));
        return new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
                .disableClassFormatChanges()
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(new RetransformationFailures())
                .with(new Failures(Boolean.getBoolean(VERBOSE_PROPERTY)))
                .ignore(ignoredTypes())
                .or(any(), new LoaderWithoutAnnotations())
                // a generated proxy routes its overrides through the engine itself
                .type(declaresMethod(DURABLE).and(not(hasSuperType(named(DURABLE_PROXY)))))
                .transform((builder, type, loader, module, domain) -> {
                    reportUnweavable(type);
                    return builder.visit(advice);
                })
                .assureReadEdgeTo(instrumentation, Dispatcher.class);
    }

    /** The JDK, ByteBuddy (ours and the application's), Durable's own modules and synthetic classes. */
    static ElementMatcher.Junction<TypeDescription> ignoredTypes() {
        ElementMatcher.Junction<TypeDescription> ignored = isSynthetic();
        for (String prefix : Candidates.IGNORED_PACKAGES) {
            ignored = ignored.or(nameStartsWith(prefix));
        }
        return ignored;
    }

    /** Whether a class that may need weaving was loaded before the agent, by another agent say. */
    private static boolean applicationClassesLoaded(Instrumentation instrumentation) {
        LoaderWithoutAnnotations blind = new LoaderWithoutAnnotations();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            ClassLoader loader = type.getClassLoader();
            if (loader != null && !type.isArray() && !Candidates.ignored(type.getName()) && !blind.matches(loader)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Our relocated ByteBuddy needs no Nexus, which serves class-format changes this agent never makes; turning it
     * off spares injecting a class into the system class loader. The property name is relocated with ByteBuddy, so
     * the application's own ByteBuddy never sees it; unrelocated (tests on the module's classes) it is left alone.
     */
    private static void skipNexus() {
        if (!ByteBuddy.class.getName().equals(String.join(".", "net", "bytebuddy", "ByteBuddy"))) {
            System.setProperty(Nexus.PROPERTY, "true");
        }
    }

    private static void reportUnweavable(TypeDescription type) {
        for (MethodDescription m :
                type.getDeclaredMethods().filter(DURABLE.and(isAbstract().or(isNative())))) {
            StringBuilder where = new StringBuilder(type.getName())
                    .append('.')
                    .append(m.getName())
                    .append('(');
            for (TypeDescription parameter : m.getParameters().asTypeList().asErasures()) {
                where.append(where.charAt(where.length() - 1) == '(' ? "" : ", ")
                        .append(parameter.getSimpleName());
            }
            where.append(')');
            String why = m.isNative()
                    ? "it is native, so it has no body to make durable"
                    : "it is abstract; annotations are not inherited, so annotate the implementing method";
            AgentLog.warnOnce("unweavable:" + where, where + " is not durable: " + why, null);
        }
    }

    /** Matches class loaders that cannot see Durable's annotations: no class of theirs can use them. */
    static final class LoaderWithoutAnnotations extends ElementMatcher.Junction.AbstractBase<ClassLoader> {
        private static final String RESOURCE = DURABLE_FUNCTION.replace('.', '/') + ".class";
        private final Map<ClassLoader, Boolean> seen = Collections.synchronizedMap(new WeakHashMap<>());

        @Override
        public boolean matches(ClassLoader loader) {
            if (loader == null) {
                return true;
            }
            Boolean blind = seen.get(loader);
            if (blind == null) {
                blind = loader.getResource(RESOURCE) == null;
                seen.put(loader, blind);
            }
            return blind;
        }
    }

    /** Reports every class that could not be woven, once, with the reason. */
    static final class Failures extends AgentBuilder.Listener.Adapter {
        private final boolean verbose;

        Failures(boolean verbose) {
            this.verbose = verbose;
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
            AgentLog.warnOnce(
                    "error:" + typeName + "@" + System.identityHashCode(loader),
                    "could not weave " + typeName + " (class loader " + loader
                            + "): its @Step, @Wait and @Callback methods are not durable",
                    error);
        }

        @Override
        public void onTransformation(
                TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded, DynamicType dynamicType) {
            if (verbose) {
                AgentLog.info("wove " + type.getName() + (loaded ? " (retransformed)" : ""));
            }
        }
    }

    /** Reports classes loaded before the agent that could not be retransformed. */
    static final class RetransformationFailures extends AgentBuilder.RedefinitionStrategy.Listener.Adapter {
        @Override
        public Iterable<? extends List<Class<?>>> onError(
                int index, List<Class<?>> batch, Throwable error, List<Class<?>> types) {
            for (Class<?> type : batch) {
                AgentLog.warnOnce(
                        "retransform:" + type.getName() + "@" + System.identityHashCode(type.getClassLoader()),
                        "could not retransform " + type.getName() + ", loaded before the agent: its @Step, @Wait and"
                                + " @Callback methods are not durable; load it after installing the agent",
                        error);
            }
            return Collections.emptyList();
        }
    }
}
