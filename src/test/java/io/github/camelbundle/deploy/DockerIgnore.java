package io.github.camelbundle.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * .dockerignore as Docker applies it: patterns in order, the last one matching a path decides, "!" lets
 * it back in; a pattern that matches a directory covers everything under it.
 */
record DockerIgnore(List<DockerIgnore.Rule> rules) {

    record Rule(Pattern pattern, boolean exclude) {
    }

    static DockerIgnore read(Path file) {
        List<Rule> rules = new ArrayList<>();
        for (String line : Deployment.read(file).lines().toList()) {
            String p = line.trim();
            if (p.isEmpty() || p.startsWith("#")) {
                continue;
            }
            boolean exclude = !p.startsWith("!");
            p = p.replaceFirst("^!", "").replaceFirst("^/", "").replaceFirst("/$", "");
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (c == '*' && i + 1 < p.length() && p.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else if (c == '*') {
                    regex.append("[^/]*");
                } else if (c == '?') {
                    regex.append("[^/]");
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            rules.add(new Rule(Pattern.compile(regex + "(/.*)?"), exclude));
        }
        return new DockerIgnore(rules);
    }

    boolean excludes(String path) {
        boolean excluded = false;
        for (Rule rule : rules) {
            if (rule.pattern().matcher(path).matches()) {
                excluded = rule.exclude();
            }
        }
        return excluded;
    }
}
