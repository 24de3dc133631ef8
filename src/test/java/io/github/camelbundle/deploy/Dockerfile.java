package io.github.camelbundle.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A Dockerfile's stages and instructions, continuation lines joined, comments dropped. */
record Dockerfile(List<Dockerfile.Stage> stages) {

    record Instruction(String keyword, String arguments) {
    }

    record Stage(String image, String alias, List<Instruction> instructions) {

        List<String> arguments(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
        }
    }

    List<String> images() {
        return stages.stream().map(Stage::image).toList();
    }

    static Dockerfile read(Path file) {
        List<Stage> stages = new ArrayList<>();
        StringBuilder logical = new StringBuilder();
        for (String line : Deployment.read(file).lines().toList()) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && logical.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            logical.append(trimmed);
            String instruction = logical.toString().trim();
            logical.setLength(0);
            if (instruction.isEmpty()) {
                continue;
            }
            String[] split = instruction.split("\\s+", 2);
            String keyword = split[0].toUpperCase();
            String arguments = split.length > 1 ? split[1].trim() : "";
            if (keyword.equals("FROM")) {
                String[] from = arguments.split("\\s+");
                String alias = from.length == 3 && from[1].equalsIgnoreCase("AS") ? from[2] : null;
                stages.add(new Stage(from[0], alias, new ArrayList<>()));
            } else if (!stages.isEmpty()) {
                stages.get(stages.size() - 1).instructions().add(new Instruction(keyword, arguments));
            }
        }
        return new Dockerfile(stages);
    }
}
