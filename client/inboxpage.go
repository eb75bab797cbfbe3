package client

import (
	"encoding/json"
	"fmt"

	"motcua/api"
)

// maxEventDepth bounds how deeply the desktop decodes a value inside an
// event: anything deeper is read as null. The hub refuses requests nested
// deeper than 32 levels, so only a broken or hostile hub sends more; the
// desktop must still get past such a page (encoding/json gives up on the whole
// page beyond 10,000 levels).
const maxEventDepth = 64

// decodeInboxPage reads a page of the inbox so that one bad event never
// blocks the feed: values nested deeper than maxEventDepth become null, and an
// event that still does not decode is skipped (reported in skipped) while the
// others and the cursor are kept.
func decodeInboxPage(body []byte) (page api.InboxPage, skipped []error, err error) {
	var raw struct {
		Events     []json.RawMessage `json:"events"`
		NextCursor string            `json:"next_cursor"`
		HasMore    bool              `json:"has_more"`
	}
	if err := json.Unmarshal(flattenDeep(body, maxEventDepth), &raw); err != nil {
		return page, nil, fmt.Errorf("inbox page: %w", err)
	}
	page.NextCursor, page.HasMore = raw.NextCursor, raw.HasMore
	page.Events = make([]api.Event, 0, len(raw.Events))
	for i, r := range raw.Events {
		var ev api.Event
		if err := json.Unmarshal(r, &ev); err != nil {
			skipped = append(skipped, fmt.Errorf("event %d of the page: %w", i, err))
			continue
		}
		page.Events = append(page.Events, ev)
	}
	return page, skipped, nil
}

// flattenDeep copies b, replacing every array or object that opens deeper
// than max levels with null. Brackets inside strings are text. Input that is
// not JSON stays not JSON (the decoder reports it).
func flattenDeep(b []byte, max int) []byte {
	deepest, _ := api.JSONDepth(b, max)
	if deepest <= max {
		return b
	}
	out := make([]byte, 0, len(b))
	depth := 0
	inStr, esc := false, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inStr {
			out = append(out, c)
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
			if depth == max {
				i = skipValue(b, i)
				out = append(out, "null"...)
				continue
			}
			depth++
		case '}', ']':
			if depth > 0 {
				depth--
			}
		}
		out = append(out, c)
	}
	return out
}

// skipValue returns the index of the bracket closing the array or object
// that opens at b[i] (or the last index when it never closes).
func skipValue(b []byte, i int) int {
	depth := 0
	inStr, esc := false, false
	for ; i < len(b); i++ {
		c := b[i]
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
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(b) - 1
}
