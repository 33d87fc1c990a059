package config

// Words are the judges of the [review] settings whose words belong to other packages:
// sort keys to the list model, columns and themes to the reviewer, image modes to the
// preview. config imports none of them, so whoever loads the file (the command line) hands
// their parsers in, the very ones that judge the matching command-line flags; a word is
// then refused alike in the file (with its line) and on the command line. A nil judge
// leaves its setting unchecked.
type Words struct {
	Sort   func(string) error
	Column func(string) (canonical string, err error) // one element of [review] columns
	Theme  func(string) error
	Image  func(string) error
}
