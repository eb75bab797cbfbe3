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
	if deepest, _ := api.JSONDepth(b, max); deepest <= max {
		return b
	}
	out := make([]byte, 0, len(b))
	last, from := 0, -1 // from: where the value being replaced opens
	api.JSONBrackets(b, func(i int, c byte, depth int) bool {
		if depth != max+1 {
			return true
		}
		switch open := c == '{' || c == '['; {
		case open && from < 0:
			from = i
		case !open && from >= 0:
			out = append(append(out, b[last:from]...), "null"...)
			last, from = i+1, -1
		}
		return true
	})
	if from >= 0 { // never closed: the rest is dropped
		return append(append(out, b[last:from]...), "null"...)
	}
	return append(out, b[last:]...)
}
