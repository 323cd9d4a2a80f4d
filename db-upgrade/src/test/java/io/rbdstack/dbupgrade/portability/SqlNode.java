package io.rbdstack.dbupgrade.portability;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** SQL tokens nested by parentheses: a leaf is one token, a group what one pair of parentheses holds. */
sealed interface SqlNode {

    int offset();

    /** Lower-case text with single spaces, for comparing expressions. */
    String render();

    record Leaf(SqlToken token) implements SqlNode {
        @Override
        public int offset() {
            return token.offset();
        }

        @Override
        public String render() {
            return token.text().toLowerCase(Locale.ROOT);
        }
    }

    record Group(int offset, List<SqlNode> children) implements SqlNode {
        @Override
        public String render() {
            return "(" + SqlNode.render(children) + ")";
        }
    }

    static String render(List<SqlNode> nodes) {
        return nodes.stream().map(SqlNode::render).collect(Collectors.joining(" "));
    }

    /** Unbalanced parentheses are tolerated: a stray ')' is dropped, an unclosed '(' closed at the end. */
    static List<SqlNode> parse(List<SqlToken> tokens) {
        Deque<List<SqlNode>> levels = new ArrayDeque<>();
        Deque<Integer> openedAt = new ArrayDeque<>();
        levels.push(new ArrayList<>());
        for (SqlToken token : tokens) {
            if (token.is(SqlToken.Kind.OPEN)) {
                levels.push(new ArrayList<>());
                openedAt.push(token.offset());
            } else if (token.is(SqlToken.Kind.CLOSE)) {
                if (openedAt.isEmpty()) {
                    continue;
                }
                List<SqlNode> children = levels.pop();
                levels.peek().add(new Group(openedAt.pop(), children));
            } else {
                levels.peek().add(new Leaf(token));
            }
        }
        while (!openedAt.isEmpty()) {
            List<SqlNode> children = levels.pop();
            levels.peek().add(new Group(openedAt.pop(), children));
        }
        return levels.pop();
    }

    static boolean isWord(SqlNode node, String word) {
        return node instanceof Leaf leaf && leaf.token().isWord(word);
    }

    static boolean isKind(SqlNode node, SqlToken.Kind kind) {
        return node instanceof Leaf leaf && leaf.token().is(kind);
    }

    /** Whether a group holds a subquery. */
    static boolean isSubquery(SqlNode node) {
        return node instanceof Group group && !group.children().isEmpty() && isWord(group.children().get(0), "SELECT");
    }
}
