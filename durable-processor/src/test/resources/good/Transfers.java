package bank;

import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/** Checked exceptions, overloads, varargs, primitive and void returns, names that clash with generated ones. */
@DurableFunction
public class Transfers {
    Transfers() {}

    protected Transfers(String bank, String... branches) throws IOException {}

    @Handler
    public void handle() {}

    @Step
    long balance(String account) throws IOException {
        return 1L;
    }

    @Step
    long balance(String account, String currency) throws IOException, TimeoutException {
        return 2L;
    }

    @Step
    boolean allowed(int... codes) {
        return codes.length > 0;
    }

    @Step
    double rate() throws FileNotFoundException, IOException, IllegalStateException {
        return 1.5;
    }

    @Step
    void audit(String e, String t, int BALANCE) throws Exception {}

    @Step
    byte[] export() throws Throwable {
        return new byte[0];
    }

    @Step
    char grade() {
        return 'A';
    }
}
