//go:build !unix

package localtarget

// unwritable cannot tell without the unix access check; the store's own error then says
// what went wrong when the folder is opened.
func unwritable(string) string { return "" }
