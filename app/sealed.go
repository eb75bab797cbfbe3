package app

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"unicode"

	"filippo.io/age"
	"filippo.io/age/armor"
)

// Sealed backups (bản sao lưu được mã hóa). Every backup and exported office
// is an age file (age-encryption.org/v1) encrypted to the office's backup
// key, an X25519 key pair made when the administrator sets the backup
// passphrase. The public half (Settings.BackupRecipient) lets the program
// write backups without anybody present (the daily automatic backup); the
// private half is kept only encrypted with the passphrase (age scrypt,
// Settings.BackupKey), so reading a backup needs the passphrase. The
// passphrase itself is stored nowhere.
//
// File layout, so that a backup carries what is needed to open it on a new
// computer with the passphrase alone:
//
//	MOTCUA-SEALED-1\n
//	-----BEGIN AGE ENCRYPTED FILE-----   the private key, age scrypt (passphrase), armored
//	…
//	-----END AGE ENCRYPTED FILE-----\n
//	age-encryption.org/v1 …              the database, age X25519 (binary)
//
// With the standard age tool: the armored block decrypts with `age -d`
// and the passphrase to the key; the rest decrypts with `age -d -i key`.

// sealMagic is the first line of a sealed backup.
const sealMagic = "MOTCUA-SEALED-1\n"

const armorEnd = "-----END AGE ENCRYPTED FILE-----"

// scryptLogN is the scrypt work factor of the wrapped key: age's default,
// about a second and 256 MB once per set-up and per restore (the tests of
// this package lower it).
var scryptLogN = 18

// MinPassphraseScore is the strength a backup passphrase needs.
const MinPassphraseScore = 2

// PassphraseStrength rates a backup passphrase from 0 (very weak) to 4
// (very strong), with its Vietnamese name. The rule is rough and honest:
// length counts most, then the kinds of characters; a passphrase of four
// or five words is strong.
func PassphraseStrength(p string) (score int, label string) {
	p = strings.TrimSpace(p)
	n := len([]rune(p))
	kinds := 0
	var lower, upper, digit, other bool
	for _, r := range p {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	for _, b := range []bool{lower, upper, digit, other} {
		if b {
			kinds++
		}
	}
	switch {
	case n < 8:
		score = 0
	case n < 10:
		score = 1
	case n < 14:
		score = 1 + min(kinds/2, 1)
	case n < 20:
		score = 2 + min(kinds/2, 1)
	default:
		score = 3 + min(kinds/2, 1)
	}
	if distinct(p) < 5 {
		score = min(score, 1)
	}
	return score, passphraseLabels[score]
}

var passphraseLabels = []string{"Rất yếu", "Yếu", "Trung bình", "Mạnh", "Rất mạnh"}

// PassphraseLabels are the names of the strengths, weakest first.
func PassphraseLabels() []string { return passphraseLabels }

func distinct(s string) int {
	seen := map[rune]bool{}
	for _, r := range s {
		seen[r] = true
	}
	return len(seen)
}

// newBackupKey makes the office's backup key: the recipient to write to and
// the private key encrypted with the passphrase (armored age scrypt).
func newBackupKey(passphrase string) (recipient, wrapped string, err error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return "", "", err
	}
	sr, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return "", "", err
	}
	sr.SetWorkFactor(scryptLogN)
	var buf bytes.Buffer
	aw := armor.NewWriter(&buf)
	w, err := age.Encrypt(aw, sr)
	if err != nil {
		return "", "", err
	}
	if _, err := io.WriteString(w, id.String()); err != nil {
		return "", "", err
	}
	if err := w.Close(); err != nil {
		return "", "", err
	}
	if err := aw.Close(); err != nil {
		return "", "", err
	}
	return id.Recipient().String(), buf.String(), nil
}

// errWrongPassphrase is a passphrase that does not open the backup key.
func errWrongPassphrase(op string) error {
	return E(op, KindPermission, MsgPassphraseWrong)
}

// unwrapBackupKey opens the armored private key with the passphrase.
func unwrapBackupKey(op, wrapped, passphrase string) (*age.X25519Identity, error) {
	si, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return nil, errWrongPassphrase(op)
	}
	r, err := age.Decrypt(armor.NewReader(strings.NewReader(wrapped)), si)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return nil, errWrongPassphrase(op)
		}
		return nil, E(op, KindInvalid, MsgSealedKeyDamaged, err)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, E(op, KindInvalid, MsgSealedKeyDamaged, err)
	}
	id, err := age.ParseX25519Identity(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, E(op, KindInvalid, MsgSealedKeyDamaged, err)
	}
	return id, nil
}

// sealTo starts a sealed backup on w: the header, then an age stream the
// caller writes the database into and closes.
func sealTo(w io.Writer, recipient, wrapped string) (io.WriteCloser, error) {
	r, err := age.ParseX25519Recipient(recipient)
	if err != nil {
		return nil, err
	}
	if _, err := io.WriteString(w, sealMagic+strings.TrimRight(wrapped, "\n")+"\n"); err != nil {
		return nil, err
	}
	return age.Encrypt(w, r)
}

// IsSealed reports whether the file at path is a sealed backup (false: a
// plain database file from before backups were encrypted).
func IsSealed(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, E("IsSealed", KindNotFound, MsgBackupNotFound, err)
	}
	defer f.Close()
	head := make([]byte, len(sealMagic))
	if _, err := io.ReadFull(f, head); err != nil {
		return false, nil
	}
	return string(head) == sealMagic, nil
}

// unseal decrypts the sealed backup read from src into dst with the
// passphrase. A wrong passphrase fails before anything is written.
func unseal(op string, dst io.Writer, src io.Reader, passphrase string) error {
	br := bufio.NewReaderSize(src, 64<<10)
	magic := make([]byte, len(sealMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != sealMagic {
		return E(op, KindInvalid, MsgNotSealedBackup)
	}
	var key strings.Builder
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return E(op, KindInvalid, MsgSealedNoKey, err)
		}
		key.WriteString(line)
		if strings.TrimSpace(line) == armorEnd {
			break
		}
		if key.Len() > 16<<10 {
			return E(op, KindInvalid, MsgSealedNoKey)
		}
	}
	id, err := unwrapBackupKey(op, key.String(), passphrase)
	if err != nil {
		return err
	}
	r, err := age.Decrypt(br, id)
	if err != nil {
		return E(op, KindInvalid, MsgSealedWrongKey, err)
	}
	if _, err := io.Copy(dst, r); err != nil {
		return E(op, KindInvalid, MsgSealedTruncated, err)
	}
	return nil
}
