package api

import (
	"fmt"
	"unicode/utf8"
)

// MaxJSONDepth is how deeply arrays and objects may nest anywhere in a request
// body (the outermost object is level 1).
const MaxJSONDepth = 32

// CheckJSON runs the cheap structural checks on a JSON body before anything
// parses it: the bytes are valid UTF-8 (encoding/json would silently turn bad
// bytes into U+FFFD) and arrays/objects nest at most MaxJSONDepth levels (the
// schema validator and encoding/json recurse per level). It does not check the
// syntax otherwise; the decoder does. Errors are validation-failed problems.
func CheckJSON(b []byte) *Problem {
	if !utf8.Valid(b) {
		off := 0
		for off < len(b) {
			r, n := utf8.DecodeRune(b[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return NewProblem(CodeValidationFailed, fmt.Sprintf("the body is not valid UTF-8 (byte %d)", off))
	}
	if d, at := JSONDepth(b, MaxJSONDepth); d > MaxJSONDepth {
		return NewProblem(CodeValidationFailed, fmt.Sprintf("JSON nests deeper than %d levels (at byte %d)", MaxJSONDepth, at))
	}
	return nil
}

// JSONDepth scans b and returns the deepest nesting of arrays and objects seen,
// stopping as soon as it exceeds limit (then at is the offset of the bracket
// that went too deep). Brackets inside strings do not count.
func JSONDepth(b []byte, limit int) (depth, at int) {
	at = -1
	JSONBrackets(b, func(i int, c byte, d int) bool {
		if c == '{' || c == '[' {
			depth = max(depth, d)
			if d > limit {
				at = i
				return false
			}
		}
		return true
	})
	return depth, at
}

// JSONBrackets calls fn for every bracket of b outside strings, in order:
// depth is the nesting an opening bracket starts, or the one a closing
// bracket ends (unbalanced closers never go below 0). fn returns false to
// stop. It is the one string-aware scan behind the depth check and the
// desktop's flattening of over-deep events.
func JSONBrackets(b []byte, fn func(i int, c byte, depth int) bool) {
	cur := 0
	inStr, esc := false, false
	for i, c := range b {
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
		case '{', '[':
			cur++
			if !fn(i, c, cur) {
				return
			}
		case '}', ']':
			d := cur
			if cur > 0 {
				cur--
			}
			if !fn(i, c, d) {
				return
			}
		}
	}
}
