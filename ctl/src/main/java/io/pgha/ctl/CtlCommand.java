package io.pgha.ctl;

import io.pgha.dcs.DcsRejectedException;
import io.pgha.dcs.DcsUnavailableException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * What every operator command shares: resolving the target cluster, and turning the ways a
 * command can end into one line on stderr and an exit code ({@link Exit}), never a stack trace.
 */
abstract class CtlCommand implements Callable<Integer> {
    @Mixin
    CtlOptions options;

    @Spec
    CommandSpec spec;

    /** The command's work; returns the exit code, or throws {@link CtlError} with the reason. */
    abstract int run(Target target) throws Exception;

    @Override
    public final Integer call() throws Exception {
        quietLibraries();
        try {
            Target target = options.target(System.getenv());
            if (target.restTls().insecure()) {
                spec.commandLine().getErr().println(RestTls.INSECURE_WARNING);
                spec.commandLine().getErr().flush();
            }
            int code = run(target);
            out().flush();
            return code;
        } catch (CtlError e) {
            return fail(e.exit(), e.getMessage());
        } catch (UsageError e) {
            return fail(Exit.USAGE, e.getMessage());
        } catch (DcsUnavailableException e) {
            return fail(Exit.UNREACHABLE, "DCS unreachable: " + oneLine(e.getMessage()));
        } catch (DcsRejectedException e) {
            return fail(Exit.FAILED, "DCS refused the request: " + oneLine(e.getMessage()));
        }
    }

    /**
     * The CLI prints its own one-line messages; the etcd client's retry warnings would bury them.
     * Per-logger levels, because slf4j-simple read its default level when the daemon command's
     * logger was created; a logger's own level is looked up when that logger is first created.
     */
    private static void quietLibraries() {
        for (String logger : List.of("io.etcd", "io.grpc", "io.netty", "io.vertx", "io.pgha.dcs")) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "error");
            }
        }
    }

    private int fail(int code, String message) {
        out().flush();
        PrintWriter err = spec.commandLine().getErr();
        err.println(name() + ": " + message);
        err.flush();
        return code;
    }

    String name() {
        return spec.qualifiedName(" ");
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Progress and prompts: on stderr when stdout carries JSON, so stdout stays one document. */
    PrintWriter chatter() {
        return options.json ? spec.commandLine().getErr() : out();
    }

    Prompt prompt() {
        return new Prompt(chatter(), new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    }

    static String oneLine(String s) {
        if (s == null) {
            return "no detail";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
