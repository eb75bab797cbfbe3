package app

import (
	"bytes"
	"fmt"
	"strings"
	"time"
)

// Scans tied to the papers they copy (issue 13.4): at intake, at a
// supplement and with a result, each chosen file fills the file of one
// document line (SubmittedDocument.SHA256, Size, MediaType, FileName)
// instead of adding a "bản photo" line. The bytes go into the store in the
// transaction of the change; a transfer carries every scan of the dossier to
// the recipient (client: the documents' blobs), and a result's files come
// back the same way.

// scanMagic tells the accepted file types by their first bytes, whatever
// their name says: a scanner's folder holds PDF, JPEG or PNG files.
func scanMedia(data []byte) (string, bool) {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return "application/pdf", true
	case bytes.HasPrefix(data, []byte{0xff, 0xd8, 0xff}):
		return "image/jpeg", true
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png", true
	}
	return "", false
}

// CheckScanKind refuses a file that is not a PDF, JPEG or PNG (by content).
func CheckScanKind(f ScanFile) error {
	if _, ok := scanMedia(f.Data); !ok {
		return E("Scan", KindInvalid, MsgScanKind)
	}
	return nil
}

// attachScans stores files inside tx and ties each to the document line of
// docs it names (ScanFile.For, compared NFC and case-insensitively); extra,
// when set, may add a line for a paper not yet on the dossier (a
// supplement's item). A second scan for one line replaces the first.
func attachScans(op string, tx Tx, docs []SubmittedDocument, files []ScanFile, extra []string) ([]SubmittedDocument, error) {
	var fe []FieldError
	for i, f := range files {
		field := fmt.Sprintf("scans.%d", i)
		want := NFC(strings.TrimSpace(f.For))
		if want == "" {
			fe = append(fe, FieldErr(field, MsgScanFor))
			continue
		}
		media, ok := scanMedia(f.Data)
		if !ok || len(f.Data) > MaxScanSize {
			fe = append(fe, FieldErr(field, MsgScanKind))
			continue
		}
		line := -1
		for j := range docs {
			if strings.EqualFold(NFC(docs[j].Name), want) {
				line = j
				break
			}
		}
		if line < 0 {
			for _, x := range extra {
				if strings.EqualFold(NFC(x), want) {
					docs = append(docs, SubmittedDocument{Name: NFC(x)})
					line = len(docs) - 1
					break
				}
			}
		}
		if line < 0 {
			fe = append(fe, FieldErr(field, MsgScanForUnknown, want))
			continue
		}
		sha := f.SHA256()
		if err := tx.PutScan(sha, f.Data); err != nil {
			return nil, err
		}
		d := &docs[line]
		d.SHA256, d.Size, d.MediaType, d.FileName = sha, int64(len(f.Data)), media, NFC(f.FileName)
	}
	if len(fe) > 0 {
		return nil, E(op, KindInvalid, MsgScanFor, fe)
	}
	return docs, nil
}

// AttachScans ties scans to papers of a dossier already saved: papers
// scanned after intake, or the papers of a supplement (an item of the last
// supplement round becomes a line of its own). One history entry lists them.
func (s *Service) AttachScans(u *User, code string, files []ScanFile) (*Dossier, error) {
	const op = "AttachScans"
	if len(files) == 0 {
		return nil, E(op, KindInvalid, MsgScanNone)
	}
	return s.act(u, code, ActNote, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
		var extra []string
		if n := len(d.Supplements); n > 0 {
			extra = d.Supplements[n-1].Items
		}
		docs, err := attachScans(op, tx, d.Documents, files, extra)
		if err != nil {
			return "", err
		}
		d.Documents = docs
		var names []string
		for _, f := range files {
			names = append(names, fmt.Sprintf("%s (%s, %s)", NFC(f.For), NFC(f.FileName), FormatSize(int64(len(f.Data)))))
		}
		return "Đính kèm bản quét: " + strings.Join(names, "; "), nil
	})
}

// Scanned reports whether a document line has its scan.
func (d SubmittedDocument) Scanned() bool { return d.SHA256 != "" }
