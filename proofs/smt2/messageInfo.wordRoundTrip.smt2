; obligation: messageInfo.wordRoundTrip
; statement: a user word whose length field is at most 120 is decoded and re-packed to the same word
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; messageInfo.wordRoundTrip
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun word () (_ BitVec 64))
(assert
 (let ((?x9 (bvand (bvlshr word (_ bv0 64)) (_ bv127 64))))
 (bvule ?x9 (_ bv120 64))))
(assert
 (let ((?x9 (bvand (bvlshr word (_ bv0 64)) (_ bv127 64))))
 (let ((?x27 (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr word (_ bv12 64)) (_ bv4503599627370495 64)) (_ bv4503599627370495 64)) (_ bv12 64)))))
 (let ((?x32 (bvor (bvand ?x27 (_ bv18446744073709548031 64)) (bvshl (bvand (bvand (bvlshr word (_ bv9 64)) (_ bv7 64)) (_ bv7 64)) (_ bv9 64)))))
 (let ((?x37 (bvor (bvand ?x32 (_ bv18446744073709551231 64)) (bvshl (bvand (bvand (bvlshr word (_ bv7 64)) (_ bv3 64)) (_ bv3 64)) (_ bv7 64)))))
 (let ((?x42 (bvor (bvand ?x37 (_ bv18446744073709551488 64)) (bvshl (bvand (ite (bvult (_ bv120 64) ?x9) (_ bv120 64) ?x9) (_ bv127 64)) (_ bv0 64)))))
 (let (($x43 (= ?x42 word)))
 (not $x43))))))))
(check-sat)
