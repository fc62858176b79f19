// Word (.docx) plan documents, read directly from the file's zip package and
// XML (no conversion step), into the document model the plan parser reads
// (core/document.h): the body's paragraphs and tables in order.
//
// What a person sees in Word is what the parser gets: automatic numbering
// (numbering.xml: 一、 （一） 1. …) rendered into the paragraph's text as its
// first run; bold kept per run (direct formatting, character and paragraph
// styles with their basedOn chains), since bold names in a responsibility
// line mark the lead departments; tables as rectangular grids, merged cells
// repeating their value. What a person does not see in the body is left out:
// headers, footers, footnotes, comments, tracked deletions and moves away,
// field instructions, drawings and text boxes.
#pragma once

#include <cstddef>
#include <string>

#include "core/document.h"

namespace rl::text {

// Paragraph::where is "paragraph N" (N counts the body's paragraphs from 1,
// not those in tables), "paragraph N (line K)" when line breaks (w:br) split
// it; tables are "table K", their rows told apart by Table rows. A table's
// position is that of the body paragraph after it.
//
// Throws DocumentError naming `source` when the bytes are not a zip (with
// the advice of refusal_for when they are a known other format), the zip is
// damaged or truncated, unpacking would exceed max_unpacked_bytes (all parts
// together, counted as inflated, whatever the zip claims), there is no
// word/document.xml or it has no w:body, or a part is not well-formed XML or
// has a DOCTYPE (the message says which part).
core::Document read_docx(const std::string& bytes, const std::string& source,
                         std::size_t max_unpacked_bytes);

}  // namespace rl::text
