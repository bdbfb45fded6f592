package dev.herald.notification;

import dev.herald.shared.Language;

/**
 * Herald's own texts for each communication kind and language. The SMS texts stay in GSM-7 in all
 * three languages (French without ç, ê, â, î, ô or û), and fit in two segments with a 30-character
 * company name, customer name and public address (DefaultTemplatesTests).
 */
final class DefaultTemplates {

  private DefaultTemplates() {}

  static MessageTemplate of(CommunicationKind kind, Language language) {
    return switch (language) {
      case EN -> english(kind);
      case FR -> french(kind);
      case DA -> danish(kind);
    };
  }

  private static MessageTemplate english(CommunicationKind kind) {
    return switch (kind) {
      case QUOTE_SENT ->
          t(
              kind,
              Language.EN,
              "Hello {customer}, {company} has sent you quote {number} for {amount}. See and"
                  + " approve it here: {link}",
              "Quote {number} from {company}",
              """
              Hello {customer},

              {company} has sent you quote {number} for {amount}. You will find it attached, \
              and you can approve or decline it here:
              {link}

              Kind regards,
              {company}\
              """);
      case INVOICE_SENT ->
          t(
              kind,
              Language.EN,
              "Hello {customer}, {company} has sent you invoice {number} of {amount}, due"
                  + " {dueDate}. See and pay it here: {link}",
              "Invoice {number} from {company}",
              """
              Hello {customer},

              {company} has sent you invoice {number} of {amount}, due {dueDate}. You will find \
              it attached, and you can see it here:
              {link}

              Kind regards,
              {company}\
              """);
      case QUOTE_REMINDER ->
          t(
              kind,
              Language.EN,
              "Hello {customer}, a reminder: quote {number} from {company} for {amount} is"
                  + " waiting for your answer: {link}",
              "Reminder: quote {number} from {company}",
              """
              Hello {customer},

              Quote {number} from {company} for {amount} is still waiting for your answer. You \
              can approve or decline it here:
              {link}

              Kind regards,
              {company}\
              """);
      case INVOICE_REMINDER ->
          t(
              kind,
              Language.EN,
              "Hello {customer}, a reminder: invoice {number} from {company} of {amount} was due"
                  + " {dueDate} and is still unpaid. See it here: {link}",
              "Reminder: invoice {number} from {company} is overdue",
              """
              Hello {customer},

              Invoice {number} from {company} of {amount} was due {dueDate} and we have not \
              received your payment yet. You can see it here:
              {link}

              If you have paid in the meantime, please ignore this message.

              Kind regards,
              {company}\
              """);
    };
  }

  private static MessageTemplate french(CommunicationKind kind) {
    return switch (kind) {
      case QUOTE_SENT ->
          t(
              kind,
              Language.FR,
              "Bonjour {customer}, {company} vous a envoyé le devis {number} de {amount}."
                  + " Consultez-le et validez-le ici : {link}",
              "Devis {number} de {company}",
              """
              Bonjour {customer},

              {company} vous a envoyé le devis {number} de {amount}. Vous le trouverez en pièce \
              jointe, et vous pouvez l'accepter ou le refuser ici :
              {link}

              Cordialement,
              {company}\
              """);
      case INVOICE_SENT ->
          t(
              kind,
              Language.FR,
              "Bonjour {customer}, {company} vous a envoyé la facture {number} de {amount}, à"
                  + " régler avant le {dueDate}. Consultez-la ici : {link}",
              "Facture {number} de {company}",
              """
              Bonjour {customer},

              {company} vous a envoyé la facture {number} de {amount}, à régler avant le \
              {dueDate}. Vous la trouverez en pièce jointe, et vous pouvez la consulter ici :
              {link}

              Cordialement,
              {company}\
              """);
      case QUOTE_REMINDER ->
          t(
              kind,
              Language.FR,
              "Bonjour {customer}, petit rappel : le devis {number} de {company} d'un montant de"
                  + " {amount} attend votre réponse : {link}",
              "Rappel : devis {number} de {company}",
              """
              Bonjour {customer},

              Le devis {number} de {company} d'un montant de {amount} attend toujours votre \
              réponse. Vous pouvez l'accepter ou le refuser ici :
              {link}

              Cordialement,
              {company}\
              """);
      case INVOICE_REMINDER ->
          t(
              kind,
              Language.FR,
              "Bonjour {customer}, rappel : la facture {number} de {company} d'un montant de"
                  + " {amount} était à régler le {dueDate}. Consultez-la ici : {link}",
              "Rappel : facture {number} de {company} en retard",
              """
              Bonjour {customer},

              La facture {number} de {company} d'un montant de {amount} était à régler le \
              {dueDate} et nous n'avons pas encore reçu votre paiement. Vous pouvez la \
              consulter ici :
              {link}

              Si vous avez payé entre-temps, merci de ne pas tenir compte de ce message.

              Cordialement,
              {company}\
              """);
    };
  }

  private static MessageTemplate danish(CommunicationKind kind) {
    return switch (kind) {
      case QUOTE_SENT ->
          t(
              kind,
              Language.DA,
              "Hej {customer}, {company} har sendt dig tilbud {number} på {amount}. Se og godkend"
                  + " det her: {link}",
              "Tilbud {number} fra {company}",
              """
              Hej {customer},

              {company} har sendt dig tilbud {number} på {amount}. Du finder det vedhæftet, og \
              du kan godkende eller afvise det her:
              {link}

              Venlig hilsen
              {company}\
              """);
      case INVOICE_SENT ->
          t(
              kind,
              Language.DA,
              "Hej {customer}, {company} har sendt dig faktura {number} på {amount} med forfald"
                  + " {dueDate}. Se den her: {link}",
              "Faktura {number} fra {company}",
              """
              Hej {customer},

              {company} har sendt dig faktura {number} på {amount} med forfald {dueDate}. Du \
              finder den vedhæftet, og du kan se den her:
              {link}

              Venlig hilsen
              {company}\
              """);
      case QUOTE_REMINDER ->
          t(
              kind,
              Language.DA,
              "Hej {customer}, en påmindelse: tilbud {number} fra {company} på {amount} venter på"
                  + " dit svar: {link}",
              "Påmindelse: tilbud {number} fra {company}",
              """
              Hej {customer},

              Tilbud {number} fra {company} på {amount} venter stadig på dit svar. Du kan \
              godkende eller afvise det her:
              {link}

              Venlig hilsen
              {company}\
              """);
      case INVOICE_REMINDER ->
          t(
              kind,
              Language.DA,
              "Hej {customer}, en påmindelse: faktura {number} fra {company} på {amount} forfaldt"
                  + " {dueDate} og er ikke betalt. Se den her: {link}",
              "Påmindelse: faktura {number} fra {company} er forfalden",
              """
              Hej {customer},

              Faktura {number} fra {company} på {amount} forfaldt {dueDate}, og vi har endnu \
              ikke modtaget din betaling. Du kan se den her:
              {link}

              Har du betalt i mellemtiden, kan du se bort fra denne besked.

              Venlig hilsen
              {company}\
              """);
    };
  }

  private static MessageTemplate t(
      CommunicationKind kind, Language language, String sms, String subject, String body) {
    return new MessageTemplate(kind, language, sms, subject, body, false);
  }
}
