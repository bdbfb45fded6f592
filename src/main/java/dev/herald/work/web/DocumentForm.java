package dev.herald.work.web;

import dev.herald.work.Document;
import dev.herald.work.DocumentInput;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The document form as typed: lines as text, blank rows ignored. */
public class DocumentForm {

  /** Rows the form can hold: the most lines a document may have. */
  static final int MAX_ROWS = dev.herald.work.Documents.MAX_LINES;

  /** Blank rows offered below the filled ones. */
  public static final int SPARE_ROWS = 3;

  private String kind = "invoice";
  private UUID contactId;
  private String issueDate = "";
  private String dueDate = "";
  private String note = "";
  private int version;
  private List<LineForm> lines = new ArrayList<>();

  public static class LineForm {
    private String description = "";
    private String quantity = "";
    private String unitPrice = "";
    private String taxRate = "";

    public String getDescription() {
      return description;
    }

    public void setDescription(String description) {
      this.description = description;
    }

    public String getQuantity() {
      return quantity;
    }

    public void setQuantity(String quantity) {
      this.quantity = quantity;
    }

    public String getUnitPrice() {
      return unitPrice;
    }

    public void setUnitPrice(String unitPrice) {
      this.unitPrice = unitPrice;
    }

    public String getTaxRate() {
      return taxRate;
    }

    public void setTaxRate(String taxRate) {
      this.taxRate = taxRate;
    }
  }

  static DocumentForm empty(String kind, UUID contactId, String defaultTaxRate) {
    DocumentForm form = new DocumentForm();
    form.kind = kind;
    form.contactId = contactId;
    form.withSpareRows(defaultTaxRate);
    return form;
  }

  static DocumentForm of(Document doc) {
    DocumentForm form = new DocumentForm();
    form.kind = doc.kind().code();
    form.contactId = doc.contactId();
    form.issueDate = doc.issueDate().toString();
    form.dueDate = doc.dueDate().toString();
    form.note = doc.note() == null ? "" : doc.note();
    form.version = doc.version();
    for (Document.Line line : doc.lines()) {
      LineForm row = new LineForm();
      row.description = line.description();
      row.quantity = line.quantity().toPlainString();
      row.unitPrice = line.unitPrice().toDecimal().toPlainString();
      row.taxRate = line.taxRate().toPlainString();
      form.lines.add(row);
    }
    form.withSpareRows("");
    return form;
  }

  /** Adds blank rows under the last filled one, up to {@link #MAX_ROWS}. */
  DocumentForm withSpareRows(String taxRate) {
    int filled = 0;
    for (int i = 0; i < lines.size(); i++) {
      LineForm l = lines.get(i);
      if (!(l.description.isBlank() && l.quantity.isBlank() && l.unitPrice.isBlank())) {
        filled = i + 1;
      }
    }
    while (lines.size() > filled) {
      lines.remove(lines.size() - 1);
    }
    for (int i = 0; i < SPARE_ROWS && lines.size() < MAX_ROWS; i++) {
      LineForm row = new LineForm();
      row.taxRate = taxRate;
      lines.add(row);
    }
    return this;
  }

  DocumentInput toInput() {
    List<DocumentInput.LineInput> input = new ArrayList<>();
    for (LineForm l : lines) {
      LineForm row = l == null ? new LineForm() : l;
      boolean blank = isBlank(row.description) && isBlank(row.quantity) && isBlank(row.unitPrice);
      // A blank row with only the pre-filled tax rate is a spare row, not a line.
      input.add(
          blank
              ? new DocumentInput.LineInput(null, null, null, null)
              : new DocumentInput.LineInput(
                  row.description, row.quantity, row.unitPrice, row.taxRate));
    }
    return new DocumentInput(kind, contactId, issueDate, dueDate, note, input);
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public UUID getContactId() {
    return contactId;
  }

  public void setContactId(UUID contactId) {
    this.contactId = contactId;
  }

  public String getIssueDate() {
    return issueDate;
  }

  public void setIssueDate(String issueDate) {
    this.issueDate = issueDate;
  }

  public String getDueDate() {
    return dueDate;
  }

  public void setDueDate(String dueDate) {
    this.dueDate = dueDate;
  }

  public String getNote() {
    return note;
  }

  public void setNote(String note) {
    this.note = note;
  }

  public int getVersion() {
    return version;
  }

  public void setVersion(int version) {
    this.version = version;
  }

  public List<LineForm> getLines() {
    return lines;
  }

  public void setLines(List<LineForm> lines) {
    this.lines = lines;
  }
}
