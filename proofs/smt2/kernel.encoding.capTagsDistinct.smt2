; obligation: kernel.encoding.capTagsDistinct
; statement: the five-bit capType field holds every cap tag exactly (tags < 32, distinct)
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.encoding.capTagsDistinct
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun word () (_ BitVec 64))
(assert
 (let (($x0 (and (= (bvand (bvlshr (bvor (bvand word (_ bv576460752303423487 64)) (_ bv0 64)) (_ bv59 64)) (_ bv31 64)) (_ bv0 64)) (= (bvand (bvlshr (bvor (bvand word (_ bv576460752303423487 64)) (_ bv1152921504606846976 64)) (_ bv59 64)) (_ bv31 64)) (_ bv2 64)))))
 (let (($x1 (and $x0 (= (bvand (bvlshr (bvor (bvand word (_ bv576460752303423487 64)) (_ bv2305843009213693952 64)) (_ bv59 64)) (_ bv31 64)) (_ bv4 64)))))
 (let (($x2 (and $x1 (= (bvand (bvlshr (bvor (bvand word (_ bv576460752303423487 64)) (_ bv3458764513820540928 64)) (_ bv59 64)) (_ bv31 64)) (_ bv6 64)))))
 (let (($x3 (and $x2 (= (bvand (bvlshr (bvor (bvand word (_ bv576460752303423487 64)) (_ bv4611686018427387904 64)) (_ bv59 64)) (_ bv31 64)) (_ bv8 64)))))
 (let (($x4 (and $x3 (= (bvand (bvlshr (bvor (bvand word (_ bv576460752303423487 64)) (_ bv5764607523034234880 64)) (_ bv59 64)) (_ bv31 64)) (_ bv10 64)))))
 (let (($x5 (and $x4 (= (bvand (bvlshr (bvor (bvand word (_ bv576460752303423487 64)) (_ bv6917529027641081856 64)) (_ bv59 64)) (_ bv31 64)) (_ bv12 64)))))
 (let (($x6 (and $x5 (= (bvand (bvlshr (bvor (bvand word (_ bv576460752303423487 64)) (_ bv8070450532247928832 64)) (_ bv59 64)) (_ bv31 64)) (_ bv14 64)))))
 (let (($x7 (and $x6 (= (bvand (bvlshr (bvor (bvand word (_ bv576460752303423487 64)) (_ bv9223372036854775808 64)) (_ bv59 64)) (_ bv31 64)) (_ bv16 64)))))
 (let (($x8 (and $x7 (= (bvand (bvlshr (bvor (bvand word (_ bv576460752303423487 64)) (_ bv11529215046068469760 64)) (_ bv59 64)) (_ bv31 64)) (_ bv20 64)))))
 (let (($x9 (and $x8 (= (bvand (bvlshr (bvor (bvand word (_ bv576460752303423487 64)) (_ bv12682136550675316736 64)) (_ bv59 64)) (_ bv31 64)) (_ bv22 64)))))
 (let (($x10 (and $x9 (= (bvand (bvlshr (bvor (bvand word (_ bv576460752303423487 64)) (_ bv13835058055282163712 64)) (_ bv59 64)) (_ bv31 64)) (_ bv24 64)))))
 (not $x10)))))))))))))
(check-sat)
