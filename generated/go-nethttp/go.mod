module example.com/flex-go

// range-over-func iterators (iter.Seq2) need Go 1.23.
go 1.23
