"""Documents printed from the log (văn bản in từ nhật ký): the recognition decision, the
certificate, a member's filled scoresheet and a round's minutes, as PDFs that the same log always
renders to the same bytes, and the certificate numbers they carry."""
