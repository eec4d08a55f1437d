; obligation: messageInfo.wordRoundTrip
; statement: a user word whose length field is at most 120 is decoded and re-packed to the same word
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; messageInfo.wordRoundTrip
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun word () (_ BitVec 64))
(assert
 (let ((?x0 (bvand (bvlshr word (_ bv0 64)) (_ bv127 64))))
 (bvule ?x0 (_ bv120 64))))
(assert
 (let ((?x0 (bvand (bvlshr word (_ bv0 64)) (_ bv127 64))))
 (let ((?x1 (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr word (_ bv12 64)) (_ bv4503599627370495 64)) (_ bv4503599627370495 64)) (_ bv12 64)))))
 (let ((?x2 (bvor (bvand ?x1 (_ bv18446744073709548031 64)) (bvshl (bvand (bvand (bvlshr word (_ bv9 64)) (_ bv7 64)) (_ bv7 64)) (_ bv9 64)))))
 (let ((?x3 (bvor (bvand ?x2 (_ bv18446744073709551231 64)) (bvshl (bvand (bvand (bvlshr word (_ bv7 64)) (_ bv3 64)) (_ bv3 64)) (_ bv7 64)))))
 (let ((?x4 (bvor (bvand ?x3 (_ bv18446744073709551488 64)) (bvshl (bvand (ite (bvult (_ bv120 64) ?x0) (_ bv120 64) ?x0) (_ bv127 64)) (_ bv0 64)))))
 (let (($x5 (= ?x4 word)))
 (not $x5))))))))
(check-sat)
