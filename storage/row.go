package storage

import (
	"encoding/binary"
	"fmt"
	"unicode"
	"unicode/utf8"

	"motcua/app"
)

// A row of the summaries bucket is a small binary head followed by the JSON
// of summaryRec. The head holds what the list filters test (state, open,
// procedure, receipt and due keys, folded name), so that a walk that rejects
// most candidates never decodes JSON; only the rows of the page are decoded.
// The name index stores the head as the value of each key, so a name search
// (the walk that rejects the most) does not even look the row up.
//
//	byte 0     format (1)
//	byte 1     flags: 1 = open state
//	8 bytes    timeKey(ReceivedAt)
//	8 bytes    dueKey(DueAt)
//	uvarint+bytes state, procedure code, folded applicant name
//	rest       JSON of summaryRec
const rowFormat = 1

type rowHead struct {
	open      bool
	recv, due uint64
	state     []byte
	proc      []byte
	fold      []byte
	body      []byte
}

func encodeRow(r *summaryRec) ([]byte, error) {
	body, err := encode(r)
	if err != nil {
		return nil, err
	}
	return append(encodeHead(r), body...), nil
}

// encodeHead is the head alone: it is also the value of every name index
// key, so that a name search filters without looking the row up.
func encodeHead(r *summaryRec) []byte {
	out := make([]byte, 0, 18+len(r.State)+len(r.ProcedureCode)+len(r.Fold)+3)
	var flags byte
	if r.State.Open() {
		flags |= 1
	}
	out = append(out, rowFormat, flags)
	out = append(out, timeKey(r.ReceivedAt)...)
	out = append(out, dueKey(r.DueAt)...)
	for _, s := range []string{string(r.State), r.ProcedureCode, r.Fold} {
		out = binary.AppendUvarint(out, uint64(len(s)))
		out = append(out, s...)
	}
	return out
}

func errRow(msg string) error {
	return app.E("storage.row", app.KindOther, app.MsgStoreCorrupt, fmt.Errorf("summary row: %s", msg))
}

// decodeHead splits a row without copying; the slices live as long as the
// transaction.
func decodeHead(v []byte) (rowHead, error) {
	var h rowHead
	if len(v) < 18 || v[0] != rowFormat {
		return h, errRow("bad head")
	}
	h.open = v[1]&1 != 0
	h.recv = binary.BigEndian.Uint64(v[2:])
	h.due = binary.BigEndian.Uint64(v[10:])
	v = v[18:]
	for _, dst := range []*[]byte{&h.state, &h.proc, &h.fold} {
		n, k := binary.Uvarint(v)
		if k <= 0 || uint64(len(v)-k) < n {
			return h, errRow("bad field")
		}
		*dst = v[k : k+int(n)]
		v = v[k+int(n):]
	}
	h.body = v
	return h, nil
}

// decodeRow decodes a whole row.
func decodeRow(v []byte) (*summaryRec, error) {
	h, err := decodeHead(v)
	if err != nil {
		return nil, err
	}
	var r summaryRec
	if err := decode(h.body, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// hasWord reports whether the folded name holds the word w (or a word
// starting with w), splitting words as app.Words does, without allocating.
func hasWord(fold []byte, w string, prefix bool) bool {
	for i := 0; i < len(fold); {
		r, n := utf8.DecodeRune(fold[i:])
		if !isWordRune(r) {
			i += n
			continue
		}
		j := i
		for j < len(fold) {
			r, n := utf8.DecodeRune(fold[j:])
			if !isWordRune(r) {
				break
			}
			j += n
		}
		tok := fold[i:j]
		if string(tok) == w || prefix && len(tok) >= len(w) && string(tok[:len(w)]) == w {
			return true
		}
		i = j
	}
	return false
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
